# Compiler settings shared by every target of the project.
find_program(AVATAR_CCACHE ccache)
if(AVATAR_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${AVATAR_CCACHE})
endif()

add_library(avatar_warnings INTERFACE)
target_compile_options(avatar_warnings INTERFACE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
if(AVATAR_WARNINGS_AS_ERRORS)
  target_compile_options(avatar_warnings INTERFACE -Werror)
endif()

# The asan preset sets AVATAR_SANITIZE=address,undefined.
set(AVATAR_SANITIZE "" CACHE STRING "Comma-separated -fsanitize= list")
# Every finding is fatal (-fno-sanitize-recover): UBSan would otherwise print
# and carry on, and the test would pass.
if(AVATAR_SANITIZE)
  add_compile_options(-fsanitize=${AVATAR_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${AVATAR_SANITIZE} -fno-sanitize-recover=all)
endif()

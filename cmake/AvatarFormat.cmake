# `format` rewrites sources with clang-format; `format-check` fails on any difference.
find_program(AVATAR_CLANG_FORMAT NAMES clang-format clang-format-14)
if(AVATAR_CLANG_FORMAT)
  file(GLOB_RECURSE AVATAR_FORMAT_SOURCES CONFIGURE_DEPENDS
       ${CMAKE_SOURCE_DIR}/app/*.cpp ${CMAKE_SOURCE_DIR}/app/*.h
       ${CMAKE_SOURCE_DIR}/engine/*.cpp ${CMAKE_SOURCE_DIR}/engine/*.h
       ${CMAKE_SOURCE_DIR}/server/*.cpp ${CMAKE_SOURCE_DIR}/server/*.h
       ${CMAKE_SOURCE_DIR}/ui/*.cpp ${CMAKE_SOURCE_DIR}/ui/*.h
       ${CMAKE_SOURCE_DIR}/tests/*.cpp ${CMAKE_SOURCE_DIR}/tests/*.h
       ${CMAKE_SOURCE_DIR}/bench/*.cpp ${CMAKE_SOURCE_DIR}/bench/*.h)
  add_custom_target(format COMMAND ${AVATAR_CLANG_FORMAT} -i ${AVATAR_FORMAT_SOURCES}
                    COMMENT "clang-format (rewrite)")
  add_custom_target(format-check
                    COMMAND ${AVATAR_CLANG_FORMAT} --dry-run --Werror ${AVATAR_FORMAT_SOURCES}
                    COMMENT "clang-format (check)")
endif()

# Helpers for test targets.
#
# avatar_add_gtest(NAME name SOURCES ... [LIBS ...] [LABELS ...] [TIMEOUT s])
#   A GoogleTest executable registered with ctest as one test per executable.
# avatar_add_pytest(NAME name SCRIPT file.py [LABELS ...] [TIMEOUT s])
#   A Python (stdlib unittest) integration test that drives real binaries.
#
# Every test gets these environment variables:
#   AVATAR_BIN          the avatar-renderer executable
#   AVATAR_SOURCE_DIR   the repository root
#   AVATAR_TESTDATA     ../shared/testdata (may not exist: tests skip with a message)
#   AVATAR_MODELS_DIR   models/ of the source tree
#   AVATAR_TEST_TMP     a scratch directory inside the build tree
set(AVATAR_TESTDATA_DIR ${PROJECT_SOURCE_DIR}/../shared/testdata CACHE PATH
    "Real test inputs (../shared/testdata)")
set(AVATAR_TEST_TMP ${CMAKE_BINARY_DIR}/test-tmp)
file(MAKE_DIRECTORY ${AVATAR_TEST_TMP})

function(avatar_test_env out)
  set(${out}
      "AVATAR_BIN=$<TARGET_FILE:avatar-renderer>"
      "AVATAR_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
      "AVATAR_TESTDATA=${AVATAR_TESTDATA_DIR}"
      "AVATAR_MODELS_DIR=${PROJECT_SOURCE_DIR}/models"
      "AVATAR_TEST_TMP=${AVATAR_TEST_TMP}"
      "QT_QPA_PLATFORM=offscreen"
      PARENT_SCOPE)
endfunction()

function(avatar_add_gtest)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE GTest::gtest GTest::gtest_main ${T_LIBS})
  target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  avatar_test_env(env)
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
                       ENVIRONMENT "${env}")
endfunction()

function(avatar_add_pytest)
  cmake_parse_arguments(T "" "NAME;SCRIPT;TIMEOUT" "LABELS" ${ARGN})
  add_test(NAME ${T_NAME}
           COMMAND ${Python3_EXECUTABLE} -m unittest -v ${T_SCRIPT})
  if(NOT T_LABELS)
    set(T_LABELS integration)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 600)
  endif()
  avatar_test_env(env)
  list(APPEND env "PYTHONPATH=${PROJECT_SOURCE_DIR}/tests/support" "PYTHONDONTWRITEBYTECODE=1")
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
                       ENVIRONMENT "${env}" WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
endfunction()

# Installs a test folder's pinned npm packages (npm ci) unless node_modules
# was installed from the same package-lock.json. Run as a ctest fixture:
#   cmake -DNPM=npm -DDIR=<folder> -DWHAT="<who needs it>" -P npm_ci.cmake
# Sets NPM_CI_INSTALLED to TRUE when it ran npm ci (for scripts that include it).
set(stamp ${DIR}/node_modules/.lock-stamp)
file(SHA256 ${DIR}/package-lock.json lock_sha)
set(have "")
if(EXISTS ${stamp})
  file(READ ${stamp} have)
endif()
set(NPM_CI_INSTALLED FALSE)
if(NOT have STREQUAL lock_sha)
  message(STATUS "npm ci --no-audit --no-fund in ${DIR}")
  execute_process(COMMAND ${NPM} ci --no-audit --no-fund WORKING_DIRECTORY ${DIR}
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "npm ci failed (${rc}): ${WHAT} need the npm registry once")
  endif()
  file(WRITE ${stamp} ${lock_sha})
  set(NPM_CI_INSTALLED TRUE)
endif()

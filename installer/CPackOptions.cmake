# Read by cpack for each generator (CPACK_PROJECT_CONFIG_FILE). Each .deb names itself in the first line
# of its CPACK_DEBIAN_<COMPONENT>_DESCRIPTION; without this, CPack would put the shared summary above it.
if(CPACK_GENERATOR STREQUAL "DEB")
    unset(CPACK_PACKAGE_DESCRIPTION_SUMMARY)
endif()

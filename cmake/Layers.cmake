# The layer rule of Transom: core/ never reaches Qt Gui or Widgets, and never includes ui/ or app/.
# Checked twice: on the link interface of transom_core, and on the include lines of core/ sources.

function(transom_check_core_layer target)
    get_target_property(_libs ${target} LINK_LIBRARIES)
    foreach(_lib IN LISTS _libs)
        if(_lib MATCHES "Qt6?::(Gui|Widgets|OpenGL|Charts)")
            message(FATAL_ERROR "${target} links ${_lib}: core/ must not depend on Qt Gui or Widgets")
        endif()
    endforeach()
    file(GLOB_RECURSE _sources "${CMAKE_SOURCE_DIR}/core/*.h" "${CMAKE_SOURCE_DIR}/core/*.cpp")
    foreach(_src IN LISTS _sources)
        file(STRINGS "${_src}" _bad REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](Qt(Gui|Widgets)|QWidget|QApplication|QGui|ui/|app/)")
        if(_bad)
            message(FATAL_ERROR "${_src} crosses the layer boundary: ${_bad}")
        endif()
    endforeach()
endfunction()

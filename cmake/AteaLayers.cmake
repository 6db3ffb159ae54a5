# atea_layer(<name> [DIR <folder under src>] LIBS <libs...>)
# Builds libatea_<name>.a from src/<folder>/*.c. A layer with no sources yet is an INTERFACE
# library, so the tree builds while a layer is still empty.
set(ATEA_LAYERS "")
function(atea_layer name)
  cmake_parse_arguments(L "" "DIR" "LIBS" ${ARGN})
  if(NOT L_DIR)
    set(L_DIR ${name})
  endif()
  file(GLOB srcs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${L_DIR}/*.c)
  if(srcs)
    add_library(atea_${name} STATIC ${srcs})
    target_include_directories(atea_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include
                                                   ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(atea_${name} PUBLIC ${L_LIBS})
  else()
    add_library(atea_${name} INTERFACE)
    target_include_directories(atea_${name} INTERFACE ${PROJECT_SOURCE_DIR}/include
                                                      ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(atea_${name} INTERFACE ${L_LIBS})
  endif()
  list(PREPEND ATEA_LAYERS atea_${name})
  set(ATEA_LAYERS ${ATEA_LAYERS} PARENT_SCOPE)
endfunction()

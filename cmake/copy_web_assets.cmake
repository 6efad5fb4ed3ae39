# Replaces DESTINATION with a copy of SOURCE (the built web workplace), or removes it when
# SOURCE was not built, so that a stale app is never served.
file(REMOVE_RECURSE "${DESTINATION}")
if(EXISTS "${SOURCE}/index.html")
  file(COPY "${SOURCE}/" DESTINATION "${DESTINATION}")
endif()

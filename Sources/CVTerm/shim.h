// libvterm 0.1.4 (Debian's libvterm-dev), as a system library. Version-sensitive code lives in
// CDistRunTerminal, which wraps it in plain functions.
#include <vterm.h>

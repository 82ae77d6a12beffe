// toml++ compiled into the core instead of linked from Debian's shared library: the CLI starts in
// a few milliseconds only without the dynamic symbol binding a shared toml++ costs at every run
// (bench/contract-validate.sh measures it), and the fuzzer sees the parser's own branches.
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>

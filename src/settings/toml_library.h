#pragma once

// toml++ for this stage, with its internal assertions off in every build.
// toml++ 3.3 asserts (debug builds: abort) or assumes (NDEBUG with clang:
// __builtin_assume, undefined behaviour when false) that a table header
// starts with a key character, and a config file can break that: "[=x]",
// "[\x02]" (the config fuzzer found it). Without the assertion its parser
// goes on to report the file's mistake with its line and column.
#pragma push_macro("NDEBUG")
#undef NDEBUG
#define TOML_ASSERT(expr) static_cast<void>(0)
#include <toml++/toml.h>
#pragma pop_macro("NDEBUG")

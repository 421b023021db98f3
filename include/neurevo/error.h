// Errors that cross neurevo's boundaries.
//
// Code inside a rollout never throws for numerical trouble (it is contained and
// counted); these exceptions are for bad input caught before any work starts.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace neurevo {

// A configuration value, command-line argument or input file is invalid.
// The message names the key (or file) and what is allowed. The command-line
// tool maps it to exit status 2.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(const std::string& what) : std::runtime_error(what) {}
};

// A run ended without a result worth reporting (no genome ever finished its
// episodes). The command-line tool maps it to exit status 1.
class RunFailed : public std::runtime_error {
 public:
  explicit RunFailed(const std::string& what) : std::runtime_error(what) {}
};

// A user's value as error messages quote it: on one line (control characters
// escaped) and at most 80 characters, then "… (N bytes)". Every message that
// echoes user input goes through this, so a 100 MB value is never echoed whole.
std::string Echo(std::string_view value);

}  // namespace neurevo

// Errors that cross neurevo's boundaries.
//
// Code inside a rollout never throws for numerical trouble (it is contained and
// counted); these exceptions are for bad input caught before any work starts.
#pragma once

#include <stdexcept>
#include <string>

namespace neurevo {

// A configuration value, command-line argument or input file is invalid.
// The message names the key (or file) and what is allowed. The command-line
// tool maps it to exit status 2.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace neurevo

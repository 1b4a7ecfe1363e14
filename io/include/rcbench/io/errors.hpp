// Why a file was not written. A refusal is the user's to fix (exit 2: the path and the
// reason); a failure is the machine's (exit 4: disk full, permissions changed mid-run).
#pragma once

#include <stdexcept>

namespace rcbench::io {

struct DestinationRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct WriteFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace rcbench::io

// libFuzzer target over what `rcbench report` and `rcbench compare` do with a file
// they are given: the run-JSON loader (with and without the rcbench section required)
// and compare's input path (parse_compare_input, then compare_runs matching the rows of
// two runs). A refused input must be an InputError, which the CLI turns into exit 2;
// any other exception (std::terminate), sanitizer report or hang is a crash.
#include "compare/compare.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

using namespace rcbench;

// Two configurations, so that both of compare's paths run: the CI gate's (normalized,
// modes) and the plainest (absolute, all repetitions, the fewest repetitions allowed:
// the U test and the verdict then run on small fuzzed inputs too).
compare::GateConfig plain_config() {
  compare::GateConfig c;
  c.mode = compare::Mode::absolute;
  c.use_modes = false;
  c.min_reps = 2;
  return c;
}

void exercise(std::string_view text) {
  try {
    (void)runjson::parse_run(text, "fuzz.json", runjson::RcbenchSection::optional);
  } catch (const runjson::InputError&) {
  }
  try {
    const runjson::Run run = compare::parse_compare_input(text, "fuzz.json");
    (void)compare::compare_runs(run, run, compare::GateConfig{});
    (void)compare::compare_runs(run, run, plain_config());
  } catch (const compare::InputError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  exercise(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}

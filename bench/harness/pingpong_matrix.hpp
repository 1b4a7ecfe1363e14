// The sampled core-to-core matrix (full profile) as one object of the run JSON, for
// the report's heat map.
#pragma once

#include <nlohmann/json.hpp>

namespace rcbench::harness {

// From Google Benchmark's benchmarks[] entries: one-way latency in ns, the minimum over
// repetitions of each pair's ping-pong row (each already a minimum over batches), null
// where not sampled; null when the run has no matrix cell.
nlohmann::json pingpong_matrix(const nlohmann::json& benchmarks);

}  // namespace rcbench::harness

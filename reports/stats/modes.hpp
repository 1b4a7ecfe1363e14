// Coherence-latency modes of a run.
//
// On a virtual machine the host moves the vCPUs: the one-way latency between two PUs
// falls into a few well-separated modes (measured here: ~23 ns SMT siblings, 52-65 ns
// same L3, 233-258 ns across CCDs) that change between runs and sometimes within one.
// A two-thread figure is a sample from a mixture unless each repetition says which
// mode it ran in. The harness probes the latency just before and just after every
// repetition (`probe_before_ns`, `probe_after_ns`); this file clusters those probes
// into modes and tags each repetition with one.
//
// Method (hand-written: no Debian C++ library does 1-D clustering): the modes are
// separated by large *ratios*, so work on the log scale. Sort all probe values and cut
// wherever two neighbouring values differ by at least `min_gap_ratio`. This is
// single-linkage clustering with a fixed cut, which for sorted 1-D data is exact and
// O(n log n); it needs no guess of the number of modes (k-means would), and every
// pair of neighbouring modes is guaranteed to be at least `min_gap_ratio` apart (the
// lowest value of the upper mode is, so its center is too). A slow drift with no gap
// stays one mode whose [lo_ns, hi_ns] shows how far it wandered.
//
// A repetition whose before and after probes land in different modes moved during the
// repetition: it is tagged kUnstable and belongs to no mode.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace rcbench::stats {

// Negative entries of ModeTags::mode_of_rep: the repetition belongs to no mode.
inline constexpr int kUnstable = -1;  // before and after probes fell in different modes
inline constexpr int kUnprobed = -2;  // a probe is missing, zero, negative or not finite

struct ModeOptions {
  // Neighbouring sorted probe values at least this factor apart start a new mode, so
  // neighbouring modes' centers differ by at least this factor. 1.5 sits well inside
  // the measured gaps (52/24 = 2.2, 233/65 = 3.6) and well above the jitter inside a
  // mode (65/52 = 1.25). Must be > 1.
  double min_gap_ratio = 1.5;
};

struct Mode {
  int id = 0;              // 0 = fastest; ids increase with center_ns
  double center_ns = 0;    // median of the probe values in the mode, ns one-way
  double lo_ns = 0;        // smallest probe value in the mode, ns
  double hi_ns = 0;        // largest probe value in the mode, ns
  std::size_t reps = 0;    // stable repetitions tagged with this mode
  std::size_t probes = 0;  // probe values (before and after) that fell in this mode
};

struct ModeTags {
  std::vector<int> mode_of_rep;  // per repetition: a Mode::id, kUnstable or kUnprobed
  std::vector<Mode> modes;       // sorted by id (= by center)
  int dominant = -1;             // mode with the most stable reps (ties: faster); -1 if none
};

// Tags one series of repetitions. before_ns[i] and after_ns[i] are repetition i's
// probes. Throws std::invalid_argument if the spans differ in length or the options
// are invalid. Missing probes (NaN, <= 0) make that repetition kUnprobed and do not
// take part in the clustering.
ModeTags tag_modes(std::span<const double> before_ns, std::span<const double> after_ns,
                   const ModeOptions& options = {});

// One benchmark's probe series (both spans of the same length).
struct ProbeSeries {
  std::span<const double> before_ns;
  std::span<const double> after_ns;
};

struct PooledModeTags {
  // Modes found over all series together; reps and probes are totals over all series.
  std::vector<Mode> modes;
  // One entry per input series, same order. Every entry has the same modes (ids,
  // centers, bounds) as `modes`, with its own reps/probes counts and dominant mode, so
  // mode ids mean the same thing in every series.
  std::vector<ModeTags> series;
};

// Clusters the probes of many series at once (every benchmark of a run, or of two runs
// being compared) so that mode ids are shared: repetition 3 of one benchmark and
// repetition 7 of another have the same mode id exactly when they ran in the same mode.
PooledModeTags tag_modes_pooled(std::span<const ProbeSeries> series,
                                const ModeOptions& options = {});

// "59 ns [52-65]": a short label for tables. Unit: ns one-way.
std::string describe_mode(const Mode& mode);

}  // namespace rcbench::stats

// The machine as a reader wants it described beside the figures: CPU and clock, caches
// with their sizes and the PUs sharing each, memory and NUMA nodes, kernel, VM or not;
// the instruction set and atomics mode, and on Arm the MIDR.
// Reads report.json's machine object; what a run did not record reads "not recorded".
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace rcbench::report {

// (what, value) rows, in reading order. `build` is report.json's build object: its isa and
// atomics_mode go in the "Instruction set" row beside the machine's LSE.
std::vector<std::pair<std::string, std::string>> machine_description(
    const nlohmann::json& machine, const nlohmann::json& build = nlohmann::json::object());

// 49152 -> "48 KiB", 33554432 -> "32 MiB", 11637313536 -> "10.8 GiB".
std::string bytes_text(double bytes);

}  // namespace rcbench::report

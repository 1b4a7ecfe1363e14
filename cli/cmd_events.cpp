// `rcbench events`: what this machine can count. Each default event (or each one named
// with --events / --events-file / RCBENCH_EVENTS), countable or not, the source that
// counts it, and for each one that cannot be counted the PAPI error and its meaning;
// plus the facts that decide it (PAPI version, microarchitecture, virtual machine,
// perf_event_paranoid). The same selection code runs before `rcbench run`.
#include <fmt/core.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "commands.hpp"
#include "perf/event_selection.hpp"

namespace rcbench::cli {

namespace {

struct EventsOptions {
  std::string events;
  std::string events_file;
  bool json = false;
  CLI::Option* events_option = nullptr;
  CLI::Option* file_option = nullptr;
};

std::string join(const nlohmann::json& strings, const char* separator) {
  std::string out;
  for (const auto& s : strings) out += (out.empty() ? "" : separator) + s.get<std::string>();
  return out;
}

void print_text(const perf::EventSelection& selection) {
  const nlohmann::json j = selection.to_json();
  const nlohmann::json& src = j["source"];
  const nlohmann::json& cpu = src["cpu"];
  const nlohmann::json& vm = src["virtual_machine"];
  const nlohmann::json& comp = src["cpu_component"];

  fmt::print("Machine\n");
  if (cpu["arm_cpu"].is_string()) {  // arm64's cpuinfo has no vendor, family or model
    fmt::print("  CPU                  {} -> {}\n", cpu["arm_cpu"].get<std::string>(),
               src["microarchitecture"].get<std::string>());
  } else {
    fmt::print("  CPU                  {} ({}, family {:#x}, model {:#x}) -> {}\n",
               cpu["model_name"].get<std::string>(), cpu["vendor_id"].get<std::string>(),
               cpu["family"].get<unsigned>(), cpu["model"].get<unsigned>(),
               src["microarchitecture"].get<std::string>());
  }
  fmt::print("  virtual machine      {}\n", vm["is_virtual"].get<bool>()
                                                ? "yes (" + vm["evidence"].get<std::string>() + ")"
                                                : std::string("no evidence of one"));
  fmt::print("  perf_event_paranoid  {} ({})\n",
             src["perf_event_paranoid"].is_null() ? std::string("missing")
                                                  : src["perf_event_paranoid"].dump(),
             src["root"].get<bool>() ? "running as root" : "not root");
  if (src["papi_usable"].get<bool>()) {
    fmt::print(
        "  PAPI                 {}; perf_event component {}: {} hardware counters per "
        "thread, PMUs {}\n",
        src["papi_version"].get<std::string>(),
        comp["enabled"].get<bool>() ? "enabled"
                                    : "DISABLED (" + comp["problem"].get<std::string>() + ")",
        comp["hardware_counters_per_thread"].get<int>(), join(comp["pmus"], ", "));
  } else {
    fmt::print("  PAPI                 not usable: {}\n", src["papi_problem"].get<std::string>());
  }
  fmt::print("  counting domain      {}\n", src["domain"].get<std::string>());
  fmt::print("  multiplexing         {}\n", src["multiplexing"].get<std::string>());
  fmt::print("  selection            {}\n", src["selection"].get<std::string>());
  fmt::print("  default events       {}\n", src["default_events_note"].get<std::string>());
  fmt::print("  context switches     counted by {}\n", src["ctx_switches"].get<std::string>());
  fmt::print("  migrations           counted by {}\n", src["migrations"].get<std::string>());

  std::size_t countable = 0;
  for (const auto& e : j["events"]) countable += e["available"].get<bool>() ? 1 : 0;
  fmt::print(
      "\nEvents ({} requested, {} countable; counts are per thread over the timed "
      "region, summed over threads in a run)\n",
      j["events"].size(), countable);
  for (const auto& e : j["events"]) {
    const bool ok = e["available"].get<bool>();
    fmt::print("  {:<4} {}  [{}]\n", ok ? "yes" : "NO", e["name"].get<std::string>(),
               e["source"].get<std::string>());
    if (!ok) fmt::print("         why not: {}\n", e["reason"].get<std::string>());
    if (!e["meaning"].get<std::string>().empty())
      fmt::print("         counts:  {}\n", e["meaning"].get<std::string>());
  }
  fmt::print("\nHow the sources were chosen\n");
  for (const auto& note : src["notes"]) fmt::print("  {}\n", note.get<std::string>());
}

void run_events(const EventsOptions& o) {
  std::optional<std::string> events;
  std::optional<std::filesystem::path> file;
  if (o.events_option->count() > 0) events = o.events;
  if (o.file_option->count() > 0) file = o.events_file;
  try {
    const perf::EventSelection selection = perf::EventSelection::from_user_choice(events, file);
    if (o.json) {
      fmt::print("{}\n", selection.to_json().dump(2));
    } else {
      print_text(selection);
    }
  } catch (const std::invalid_argument& e) {
    throw CommandExit(kUsageError, e.what());
  }
}

}  // namespace

void add_events_command(CLI::App& app) {
  auto options = std::make_shared<EventsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "events",
      "What this machine can count: each event, countable or not, its source, and why not");
  options->events_option = cmd->add_option(
      "--events", options->events,
      "Comma-separated event names: PAPI presets (PAPI_L1_DCM), native events "
      "(RETIRED_LOCK_INSTRUCTIONS), perf::NAME; `defaults` adds this CPU's defaults. "
      "Without it: $RCBENCH_EVENTS, else the defaults");
  options->file_option = cmd->add_option("--events-file", options->events_file,
                                         "File naming one event per line ('#' comments)");
  options->events_option->excludes(options->file_option);
  cmd->add_flag("--json", options->json,
                "Print the run JSON's \"perf\" object (machine facts, sources, every event)");
  cmd->callback([options] { run_events(*options); });
}

}  // namespace rcbench::cli

#include "disassembly.hpp"

#include <array>
#include <cstdio>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace rcbench::testing {
namespace {

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\n");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\n") - first + 1);
}

// "__aarch64_ldadd8_relax" from "__aarch64_ldadd8_relax" or x86's "foo-0x4".
std::string symbol_of(const std::string& relocation_operand) {
  const auto offset = relocation_operand.find_first_of("+-");
  return trim(relocation_operand.substr(0, offset));
}

}  // namespace

std::string Instruction::text() const {
  std::string t = operands.empty() ? mnemonic : mnemonic + " " + operands;
  // An unlinked call reads "bl 0 <...>" with the wrong name: add the relocation's.
  return target.empty() || t.find("<" + target + ">") != std::string::npos ? t : t + "  <" + target + ">";
}

Functions parse_listing(const std::string& listing) {
  Functions functions;
  Code* current = nullptr;
  std::istringstream lines(listing);
  std::string line;
  while (std::getline(lines, line)) {
    const auto open = line.find(" <");
    const auto close = line.find(">:");
    if (open != std::string::npos && close != std::string::npos && close > open) {
      current = &functions[line.substr(open + 2, close - open - 2)];
      continue;
    }
    const auto colon = line.find(':');
    if (current == nullptr || colon == std::string::npos) continue;
    const std::string body = trim(line.substr(colon + 1));
    if (body.empty()) continue;
    if (body.rfind("R_", 0) == 0) {  // "R_AARCH64_CALL26\t__aarch64_ldadd8_relax"
      const auto space = body.find_first_of(" \t");
      if (!current->empty() && space != std::string::npos)
        current->back().target = symbol_of(body.substr(space + 1));
      continue;
    }
    Instruction insn;
    const auto space = body.find_first_of(" \t");
    insn.mnemonic = body.substr(0, space);
    if (space != std::string::npos) {
      std::string operands = body.substr(space + 1);
      operands = operands.substr(0, operands.find("//"));  // aarch64's "// #1", "// b.any"
      insn.operands = trim(operands);
    }
    current->push_back(insn);
  }
  return functions;
}

Functions disassemble(const std::string& objdump, const std::string& object) {
  const std::string command = "'" + objdump + "' -dr --no-show-raw-insn '" + object + "' 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) throw std::runtime_error("cannot run: " + command);
  std::string listing;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) > 0) listing.append(buffer.data(), n);
  return parse_listing(listing);
}

Code hot_path(const Code& code) {
  Code hot;
  for (const Instruction& insn : code) {
    if (insn.mnemonic == "ret" || insn.mnemonic == "retq") return hot;
    hot.push_back(insn);
  }
  throw std::runtime_error("no ret in the block");
}

std::map<std::string, int> mnemonic_counts(const Code& code) {
  std::map<std::string, int> counts;
  for (const Instruction& insn : code) ++counts[insn.mnemonic];
  return counts;
}

std::string listing_of(const Code& code) {
  std::string out;
  for (const Instruction& insn : code) out += "  " + insn.text() + "\n";
  return out;
}

}  // namespace rcbench::testing

// The NUMA node of an object whose memory placement is a condition of its row
// (BenchSpec::memory: mem:local / mem:remote). The page is placed before the object is
// made in it and located again after the window: a row whose page is not on the node
// asked for is an error, never a figure. The placing and the asking are
// topology/src/memory.cpp's (first touch, hwloc's bind, move_pages).
#pragma once

#include "aligned_buffer.hpp"
#include "spec.hpp"

#include <optional>
#include <string>

namespace rcbench::topo { class Topology; }

namespace rcbench::harness {

// Where a placed object's page was asked to be and where the kernel says it is.
struct MemoryCheck {
  ObjectMemory memory = ObjectMemory::unplaced;
  unsigned wanted = 0;            // NUMA node (OS index) the row asked for
  std::optional<unsigned> found;  // where the page is; nullopt: not located
  std::string failure;            // why it could not be located ("" when it was asked)
};

// How a placement is made: "first-touch" (local: thread 0, pinned on the node, touches
// the fresh page first, as it makes every other row's objects) or "bind" (remote: the
// page is bound to thread 1's node before anything touches it). Recorded in the run JSON.
std::string_view placement_method(ObjectMemory);

// Thread 0, pinned, with `page` fresh from AlignedBuffer::whole_pages and before the
// object is made in it: puts the page where spec.memory asks. Throws (topo::TopologyError)
// when there is no topology of this system to bind with, the node does not exist or the
// kernel refuses.
void place_object_page(const BenchSpec& spec, const topo::Topology* topology, AlignedBuffer& page);

// After the window, quiescent: where the page holding `object` is now.
MemoryCheck locate_object_page(const BenchSpec& spec, const topo::Topology* topology, const void* object);

// "" when the page is on the node asked for, else the error row's message, naming both nodes.
std::string misplaced_memory(const MemoryCheck& check);

}  // namespace rcbench::harness

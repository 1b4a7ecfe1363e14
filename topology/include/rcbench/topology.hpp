// Everything rcbench::topo offers, for callers that want one include.
#pragma once

#include <rcbench/topology/cpu_list.hpp>
#include <rcbench/topology/errors.hpp>
#include <rcbench/topology/pinning.hpp>
#include <rcbench/topology/placement_class.hpp>
#include <rcbench/topology/topology.hpp>

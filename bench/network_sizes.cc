// neurevo's side of bench/simulator_compare.py (issue 18, item 4): one
// spiking conductance LIF network at a named size, its decoded form for NEST
// and Brian2 (src/model/lif_reference.h), and neurevo's wall time for 1 s of
// biological time.
//
//   network_sizes SIZE OUT.json [--repeats N] [--no-rate] [--gather] [--w_exc NS] [--g G] [--offset LOW HIGH]
//
// --gather: the clock-driven synapse pass on every block (no scatter pass;
// the same results), to measure what the scatter pass saves.
//
// SIZE: controller (the default network's shape at CartPole size: 4 "in" +
// 10 E + 10 I + 2 "out", dense along the default connectivity, nothing into
// "in"); 1k (800 E + 200 I, connection probability 0.1); 10k (8,000 E +
// 2,000 I, probability 0.01). Every neuron spikes and has the model's
// default constants (C_m 1 pF, tau_m 20 ms, V_rest = V_reset -60 mV, V_th
// -50 mV, tau_ref 2 ms, tau_syn 5 ms, E_E 0 mV, E_I -80 mV), a constant
// offset current drawn uniformly around the rheobase (0.5 pA) and a random
// initial potential; frozen random weights (AMPA uniform in [0, w_exc],
// GABA in [0, g w_exc], per spike, scaled by 100 / mean in-degree) and
// delays uniform in [1, 5] ms; no noise. The "in" neurons of the controller
// get their offsets as a controller's inputs get observations.
//
// neurevo steps the network 10 ms (100 substeps of 0.1 ms) per Step(), as a
// controller does, 100 times: the median over --repeats runs from the reset
// state is reported. The rate comes from a second, untimed run of the same
// network one substep per Step() (RecordLifSpikes; the block batching does
// not change results); --no-rate skips it (to profile the timed part).
//
// OUT.json: the network (LifReferenceJson), dt_ms, tau_syn_ms, and "neurevo": {wall_s, cpu_s,
// rate_hz, neurons, synapses, repeats}.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "model/lif_network.h"
#include "model/lif_preset.h"
#include "model/lif_reference.h"
#include "model/network_instance.h"

namespace {

using namespace neurevo;

struct Params {
  double w_exc = 0.002;  // nS per spike at in-degree 100
  double g = 10.0;       // GABA / AMPA weight ratio
  double offset_low = 0.45, offset_high = 0.6;  // pA (rheobase 0.5)
};

PopulationSpec Population(const std::string& name, int size, DaleType dale, const Params& p) {
  return RandomSpikingPopulation(name, size, dale, p.offset_low, p.offset_high);
}

NetworkSpec Spec(const std::string& size, const Params& p) {
  NetworkSpec spec;
  if (size == "controller") {
    // The default connectivity (model.h), every population hidden so that
    // all of them are plain spiking neurons the other simulators can model.
    spec.populations = {Population("in", 4, DaleType::kExcitatory, p), Population("E", 10, DaleType::kExcitatory, p),
                        Population("I", 10, DaleType::kInhibitory, p), Population("out", 2, DaleType::kExcitatory, p)};
    ConnectorSpec all;
    all.kind = ConnectorSpec::Kind::kAllToAll;
    const double scale = 100.0 / 25.0;  // E and I neurons receive 25 synapses
    for (const char* pre : {"in", "E", "I", "out"})
      for (const char* post : {"E", "I", "out"})
        spec.projections.push_back(
            RandomSpikingProjection(pre, post, all, p.w_exc * scale * (std::string(pre) == "I" ? p.g : 1.0), 1.0));
    return spec;
  }
  const int n = size == "1k" ? 1000 : size == "10k" ? 10000 : 0;
  if (n == 0) {
    std::fprintf(stderr, "network_sizes: SIZE must be controller, 1k or 10k, not '%s'\n", size.c_str());
    std::exit(2);
  }
  RandomSpikingNetwork r;  // in-degree 100 on average
  r.neurons = n;
  r.in_degree = 100;
  r.w_exc = p.w_exc;
  r.g = p.g;
  r.offset_low = p.offset_low;
  r.offset_high = p.offset_high;
  r.delay_low_ms = 1.0;
  return RandomSpikingSpec(r);
}

// This thread's CPU time: on a shared machine, what the run would take alone.
double CpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

ModelOptions Options(int substeps) {
  ModelOptions o;
  o.kind = "snn";
  o.substeps = substeps;
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: network_sizes controller|1k|10k OUT.json [--repeats N] [--no-rate] [--gather] [--w_exc NS] "
                         "[--g G] [--offset LOW HIGH]\n");
    return 2;
  }
  const std::string size = argv[1], out = argv[2];
  Params p;
  int repeats = 5;
  bool rate = true;
  bool gather = false;  // the clock-driven synapse pass only (no scatter pass)
  for (int i = 3; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--repeats" && i + 1 < argc) repeats = std::atoi(argv[++i]);
    else if (a == "--no-rate") rate = false;
    else if (a == "--gather") gather = true;
    else if (a == "--w_exc" && i + 1 < argc) p.w_exc = std::atof(argv[++i]);
    else if (a == "--g" && i + 1 < argc) p.g = std::atof(argv[++i]);
    else if (a == "--offset" && i + 2 < argc) {
      p.offset_low = std::atof(argv[++i]);
      p.offset_high = std::atof(argv[++i]);
    } else {
      std::fprintf(stderr, "network_sizes: unknown or incomplete option '%s'\n", a.c_str());
      return 2;
    }
  }
  const NetworkSpec spec = Spec(size, p);
  const NetworkInstance instance = Instantiate(spec, LifInstanceOptions(Options(100), 18));

  // Timed: 100 steps of 10 ms.
  const LifDecoder decoder(Options(100), instance);
  LifNetwork net = decoder.Decode({});
  if (gather) net.scatter_cost = -1;
  std::vector<double> wall, cpu;
  for (int r = 0; r < std::max(repeats, 1); ++r) {
    LifState state(net);
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = CpuSeconds();
    for (int step = 0; step < 100; ++step) state.Step({}, {});
    cpu.push_back(CpuSeconds() - c0);
    wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());

  // Untimed: the same network's spikes over the same second.
  std::vector<Spike> spikes;
  if (rate) spikes = RecordLifSpikes(LifDecoder(Options(1), instance).Decode({}), 10000);

  nlohmann::json j = LifReferenceJson(net);
  j["dt_ms"] = Options(100).dt_ms;
  j["tau_syn_ms"] = Options(100).neuron.tau_syn_ms;
  j["neurevo"] = {{"wall_s", wall[wall.size() / 2]},
                  {"cpu_s", cpu[cpu.size() / 2]},
                  {"rate_hz", static_cast<double>(spikes.size()) / net.neurons},
                  {"neurons", net.neurons},
                  {"synapses", net.synapse_count()},
                  {"repeats", wall.size()}};
  std::ofstream(out) << j.dump();
  std::printf("%s: %d neurons, %lld synapses, %.4f s per simulated s (median of %zu), %.2f Hz\n", size.c_str(),
              net.neurons, net.synapse_count(), wall[wall.size() / 2], wall.size(),
              static_cast<double>(spikes.size()) / net.neurons);
  return 0;
}

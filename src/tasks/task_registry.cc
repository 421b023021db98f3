// MakeTask() and TaskNames(): the registry of the built-in tasks and the
// options each accepts.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "neurevo/error.h"
#include "neurevo/task.h"
#include "tasks/bsuite/memory_length.h"
#include "tasks/temporal/cue_delay_response.h"
#include "tasks/temporal/evidence_accumulation.h"
#include "tasks/temporal/n_back.h"
#include "tasks/classic/acrobot.h"
#include "tasks/classic/cartpole.h"
#include "tasks/classic/mountain_car_continuous.h"
#include "tasks/classic/pendulum.h"
#include "tasks/cognitive/iaf_mimic.h"
#include "tasks/cognitive/stdp_mimic.h"
#include "tasks/cognitive/t_maze.h"
#include "tasks/mujoco/ant.h"
#include "tasks/mujoco/half_cheetah.h"
#include "tasks/mujoco/hopper.h"
#include "tasks/mujoco/inverted_double_pendulum.h"
#include "tasks/mujoco/inverted_pendulum.h"
#include "tasks/mujoco/swimmer.h"
#include "tasks/mujoco/walker2d.h"
#include "tasks/vision/image_classification.h"
#include "tasks/worm/worm_foraging.h"

namespace neurevo {
namespace {

// An option's value, checked against its declared type.
bool BoolOption(const TaskOptions& options, std::string_view task, const std::string& name, bool fallback) {
  const auto it = options.find(name);
  if (it == options.end()) return fallback;
  if (const bool* b = std::get_if<bool>(&it->second)) return *b;
  throw ConfigError(fmt::format("task.options.{}: expected true or false for {}", name, task));
}

// A string option's value, or null when it is not set; `what` says what the
// option takes.
const std::string* StringOption(const TaskOptions& options, std::string_view task, const std::string& name,
                                std::string_view what) {
  const auto it = options.find(name);
  if (it == options.end()) return nullptr;
  if (const std::string* s = std::get_if<std::string>(&it->second)) return s;
  throw ConfigError(fmt::format("task.options.{}: expected {} for {}", name, what, task));
}

// Which of `choices` a string option names: its index, 0 (the default) when it
// is not set. Anything else is refused naming the choices and the value ({:?}
// quotes and escapes: a value with control characters prints whole).
size_t ChoiceOption(const TaskOptions& options, std::string_view task, const std::string& name,
                    const std::vector<std::string_view>& choices) {
  std::string allowed;
  for (size_t i = 0; i < choices.size(); ++i)
    allowed += fmt::format("{}\"{}\"", i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ", choices[i]);
  const std::string* value = StringOption(options, task, name, allowed);
  if (!value) return 0;
  const auto it = std::find(choices.begin(), choices.end(), *value);
  if (it == choices.end())
    throw ConfigError(fmt::format("task.options.{}: expected {} for {}, not {:?}", name, allowed, task, *value));
  return static_cast<size_t>(it - choices.begin());
}

// An integer option's value in [low, high], or `fallback` when it is not set.
long long IntOption(const TaskOptions& options, std::string_view task, const std::string& name, long long fallback,
                    long long low, long long high) {
  const auto it = options.find(name);
  if (it == options.end()) return fallback;
  const long long* v = std::get_if<long long>(&it->second);
  if (!v || *v < low || *v > high)
    throw ConfigError(fmt::format("task.options.{}: expected an integer in {} .. {} for {}", name, low, high, task));
  return *v;
}

// A number option's value in (low, high] (an integer is taken as a number),
// or `fallback` when it is not set.
double NumberOption(const TaskOptions& options, std::string_view task, const std::string& name, double fallback,
                    double low, double high) {
  const auto it = options.find(name);
  if (it == options.end()) return fallback;
  double v = std::nan("");
  if (const double* d = std::get_if<double>(&it->second)) v = *d;
  if (const long long* i = std::get_if<long long>(&it->second)) v = static_cast<double>(*i);
  if (!(v > low && v <= high))  // NaN fails too
    throw ConfigError(fmt::format("task.options.{}: expected a number in ({}, {}] for {}", name, low, high, task));
  return v;
}

struct Entry {
  std::string_view name;
  std::unique_ptr<Task> (*make)(const TaskOptions&);
  std::vector<TaskOptionInfo> (*options)();
  std::optional<double> reward_threshold;  // gymnasium.spec(id).reward_threshold (1.4.0)
};

std::vector<TaskOptionInfo> NoOptions() { return {}; }

template <typename T>
std::unique_ptr<Task> Make(const TaskOptions&) {
  return std::make_unique<T>();
}

std::vector<TaskOptionInfo> CartPoleOptions() {
  return {{"max_episode_steps", "int", "500",
           "Gymnasium's keyword of gymnasium.make: the TimeLimit that truncates an episode (1 .. 1000000); the "
           "heterogeneity paper's BP-against-ES comparison varies it (100, 200, 500, 1000)."}};
}
std::unique_ptr<Task> MakeCartPole(const TaskOptions& options) {
  return std::make_unique<CartPole>(
      static_cast<int>(IntOption(options, CartPole::kName, "max_episode_steps", 500, 1, 1000000)));
}

std::vector<TaskOptionInfo> AntOptions() {
  return {{"include_cfrc_ext_in_observation", "bool", "true",
           "Gymnasium's keyword: the clipped contact forces of the 13 bodies end the observation (105 values); "
           "false: 27 values (positions and velocities), the seed paper's BNN input. The reward's contact cost "
           "stays either way."}};
}
std::unique_ptr<Task> MakeAnt(const TaskOptions& options) {
  return std::make_unique<Ant>(BoolOption(options, Ant::kName, "include_cfrc_ext_in_observation", true));
}

std::vector<TaskOptionInfo> TMazeOptions() {
  return {{"first_food", "string", "\"random\"",
           "which colour is food when an episode starts: \"random\" (drawn from the episode's seed; the "
           "first meal must be found out) or \"green\" (an agent may know it; only the swaps must be "
           "learnt within the episode)."},
          {"swap_meals_min", "int", std::to_string(TMaze::kMinSwap),
           fmt::format("the fewest meals (food or poison) between two swaps of the colours (1 .. {}, at most "
                       "swap_meals_max): k is drawn from swap_meals_min .. swap_meals_max (swap_schedule) at reset and "
                       "after each swap. Fewer meals per swap make swaps, and so the reversal to be learnt, more "
                       "frequent.",
                       TMaze::kSwapLimit)},
          {"swap_meals_max", "int", std::to_string(TMaze::kMaxSwap),
           fmt::format("the most meals between two swaps (1 .. {}, at least swap_meals_min).", TMaze::kSwapLimit)},
          {"swap_schedule", "string", "\"uniform\"",
           "how k is drawn within swap_meals_min .. swap_meals_max: \"uniform\", or \"geometric\" (from the "
           "min-th meal on, each meal is followed by a swap with probability 1/2 until the max, where one always "
           "comes. Use swap_meals_min >= 2: the first meal after a swap then never brings another, so when it is "
           "poison the other colour is surely food next; with 1 a swap may follow the poison meal itself (probability 1/2) "
           "and switching is worth nothing. Over 2 .. 7 a network that counts meals can predict a swap only at "
           "the cap (1 in 32); over a narrow range counting still helps (over 2 values both schedules draw each "
           "with probability 1/2)."},
          {"max_energy", "int", std::to_string(TMaze::kMaxEnergy),
           fmt::format("the energy budget (1 .. {}): energy starts there, falls by 1 per step, is refilled to it by "
                       "food (not poison), and the episode ends at 0. A larger budget lets a slow walker survive "
                       "its first poison meal, so that switching colours can pay.",
                       TMaze::kSteps)}};
}
std::unique_ptr<Task> MakeTMaze(const TaskOptions& options) {
  const int min_swap = static_cast<int>(
      IntOption(options, TMaze::kName, "swap_meals_min", TMaze::kMinSwap, 1, TMaze::kSwapLimit));
  const int max_swap = static_cast<int>(
      IntOption(options, TMaze::kName, "swap_meals_max", TMaze::kMaxSwap, 1, TMaze::kSwapLimit));
  if (min_swap > max_swap)
    throw ConfigError(fmt::format("task.options.swap_meals_min ({}) must not exceed task.options.swap_meals_max ({}) "
                                  "for TMaze (defaults {} and {})",
                                  min_swap, max_swap, TMaze::kMinSwap, TMaze::kMaxSwap));
  const int max_energy =
      static_cast<int>(IntOption(options, TMaze::kName, "max_energy", TMaze::kMaxEnergy, 1, TMaze::kSteps));
  // The choices in the enums' order, the default first.
  static_assert(static_cast<int>(TMaze::FirstFood::kGreen) == 1 &&
                static_cast<int>(TMaze::SwapSchedule::kGeometric) == 1);
  const auto first_food =
      static_cast<TMaze::FirstFood>(ChoiceOption(options, TMaze::kName, "first_food", {"random", "green"}));
  const auto swap_schedule =
      static_cast<TMaze::SwapSchedule>(ChoiceOption(options, TMaze::kName, "swap_schedule", {"uniform", "geometric"}));
  return std::make_unique<TMaze>(first_food, min_swap, max_swap, max_energy, swap_schedule);
}

std::vector<TaskOptionInfo> StdpMimicOptions() {
  return {{"potentiation", "float", fmt::format("{}", StdpRule::kPotentiation),
           fmt::format("the STDP rule's potentiation amplitude A+ (0 < A+ <= {}): a post spike with the modulator "
                       "on adds A+ times the pre trace to the weight.",
                       StdpRule::kMaxAmplitude)},
          {"depression", "float", fmt::format("{}", StdpRule::kDepression),
           fmt::format("the depression amplitude A- (0 < A- <= {}): a pre spike with the modulator on subtracts A- "
                       "times the post trace. Larger amplitudes move the weight further, so that plasticity counts "
                       "for more against the best constant weight (a curriculum's first stage).",
                       StdpRule::kMaxAmplitude)}};
}
std::unique_ptr<Task> MakeStdpMimic(const TaskOptions& options) {
  return std::make_unique<StdpMimic>(
      NumberOption(options, StdpMimic::kName, "potentiation", StdpRule::kPotentiation, 0.0, StdpRule::kMaxAmplitude),
      NumberOption(options, StdpMimic::kName, "depression", StdpRule::kDepression, 0.0, StdpRule::kMaxAmplitude));
}

template <WormForaging::Pattern P>
std::unique_ptr<Task> MakeWorm(const TaskOptions&) {
  return std::make_unique<WormForaging>(P);
}

std::vector<TaskOptionInfo> ImageOptions() {
  return {{"data", "path", "\"\"",
           "the directory of the data set in MNIST's layout: train-images-idx3-ubyte, train-labels-idx1-ubyte, "
           "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each may be gzipped, name + \".gz\"); relative "
           "to the config's directory. Required."}};
}
std::unique_ptr<Task> MakeImageClassification(const TaskOptions& options) {
  const std::string* dir = StringOption(options, ImageClassification::kName, "data", "a string (a directory)");
  if (!dir || dir->empty())
    throw ConfigError("task.options.data: ImageClassification needs the directory of its data set (MNIST's IDX "
                      "layout), e.g. task.options.data = \"data/digits\"");
  return std::make_unique<ImageClassification>(LoadImageDataset(*dir));
}

const Entry kEntries[] = {
    {CartPole::kName, &MakeCartPole, &CartPoleOptions, 475.0},
    {Pendulum::kName, &Make<Pendulum>, &NoOptions, std::nullopt},
    {MountainCarContinuous::kName, &Make<MountainCarContinuous>, &NoOptions, 90.0},
    {Acrobot::kName, &Make<Acrobot>, &NoOptions, -100.0},
    {InvertedPendulum::kName, &Make<InvertedPendulum>, &NoOptions, 950.0},
    {InvertedDoublePendulum::kName, &Make<InvertedDoublePendulum>, &NoOptions, 9100.0},
    {Swimmer::kName, &Make<Swimmer>, &NoOptions, 360.0},
    {Hopper::kName, &Make<Hopper>, &NoOptions, 3800.0},
    {HalfCheetah::kName, &Make<HalfCheetah>, &NoOptions, 4800.0},
    {Walker2d::kName, &Make<Walker2d>, &NoOptions, std::nullopt},
    {Ant::kName, &MakeAnt, &AntOptions, 6000.0},
    {ImageClassification::kName, &MakeImageClassification, &ImageOptions, std::nullopt},
    {WormForaging::kNames[WormForaging::kCircle], &MakeWorm<WormForaging::kCircle>, &NoOptions, std::nullopt},
    {WormForaging::kNames[WormForaging::kTriangle], &MakeWorm<WormForaging::kTriangle>, &NoOptions, std::nullopt},
    {WormForaging::kNames[WormForaging::kSquare], &MakeWorm<WormForaging::kSquare>, &NoOptions, std::nullopt},
    {WormForaging::kNames[WormForaging::kPentagon], &MakeWorm<WormForaging::kPentagon>, &NoOptions, std::nullopt},
    {WormForaging::kNames[WormForaging::kHexagon], &MakeWorm<WormForaging::kHexagon>, &NoOptions, std::nullopt},
    {WormForaging::kNames[WormForaging::kHeptagon], &MakeWorm<WormForaging::kHeptagon>, &NoOptions, std::nullopt},
    {WormForaging::kNames[WormForaging::kOctagon], &MakeWorm<WormForaging::kOctagon>, &NoOptions, std::nullopt},
    {WormForaging::kNames[WormForaging::kNonagon], &MakeWorm<WormForaging::kNonagon>, &NoOptions, std::nullopt},
    // The ENU's learning-to-learn tasks (Bertens & Lee 2019).
    {IafMimic::kName, &Make<IafMimic>, &NoOptions, std::nullopt},
    {StdpMimic::kName, &MakeStdpMimic, &StdpMimicOptions, std::nullopt},
    {TMaze::kName, &MakeTMaze, &TMazeOptions, std::nullopt},
};

// Task families: ids that carry a parameter, "<prefix><N>".
struct Family {
  std::string_view prefix;
  int min, max;
  std::unique_ptr<Task> (*make)(int);
};

const Family kFamilies[] = {
    {MemoryLength::kPrefix, 1, MemoryLength::kMaxLength,
     [](int n) -> std::unique_ptr<Task> { return std::make_unique<MemoryLength>(n); }},
    // The neocortical RSNN system's temporal tasks (src/tasks/temporal/).
    {NBack::kPrefix, 1, NBack::kMaxN, [](int n) -> std::unique_ptr<Task> { return std::make_unique<NBack>(n); }},
    {EvidenceAccumulation::kPrefix, 1, EvidenceAccumulation::kMaxT,
     [](int n) -> std::unique_ptr<Task> { return std::make_unique<EvidenceAccumulation>(n); }},
    {CueDelayResponse::kPrefix, 1, CueDelayResponse::kMaxDelay,
     [](int n) -> std::unique_ptr<Task> { return std::make_unique<CueDelayResponse>(n); }},
};

// The family member `name` names, or null: the parameter must be a plain
// decimal integer in the family's range ("MemoryLength-07" and "-1e2" are not).
const Family* FamilyOf(std::string_view name, int* parameter) {
  for (const Family& f : kFamilies) {
    if (!name.starts_with(f.prefix)) continue;
    const std::string_view digits = name.substr(f.prefix.size());
    if (digits.empty() || digits.size() > 9 || digits[0] == '0') return nullptr;
    long long n = 0;
    for (const char c : digits) {
      if (c < '0' || c > '9') return nullptr;
      n = n * 10 + (c - '0');
    }
    if (n < f.min || n > f.max) return nullptr;
    *parameter = static_cast<int>(n);
    return &f;
  }
  return nullptr;
}

}  // namespace

std::string TaskNamesAllowed() {
  std::vector<std::string> names;
  for (const Entry& e : kEntries) names.emplace_back(e.name);
  for (const Family& f : kFamilies) names.push_back(fmt::format("{}N (N = {} .. {})", f.prefix, f.min, f.max));
  return fmt::format("{}", fmt::join(names, ", "));
}

std::unique_ptr<Task> MakeTask(std::string_view name, const TaskOptions& options) {
  int parameter = 0;
  if (const Family* f = FamilyOf(name, &parameter)) {
    if (!options.empty())
      throw ConfigError(fmt::format("task.options.{}: {} has no such option; allowed: none",
                                    options.begin()->first, name));
    return f->make(parameter);
  }
  for (const Entry& e : kEntries) {
    if (e.name != name) continue;
    const auto accepted = e.options();
    for (const auto& entry : options) {
      const auto& option = entry.first;  // a plain reference: the lambda below captures it (clang 14)
      if (std::none_of(accepted.begin(), accepted.end(), [&](const TaskOptionInfo& o) { return o.name == option; })) {
        std::vector<std::string> names;
        for (const auto& o : accepted) names.push_back(o.name);
        throw ConfigError(fmt::format("task.options.{}: {} has no such option; allowed: {}", option, name,
                                      names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))));
      }
    }
    return e.make(options);
  }
  throw ConfigError("task.name: unknown task '" + Echo(name) +
                    "'; allowed: " + TaskNamesAllowed());
}

std::optional<double> TaskRewardThreshold(std::string_view name) {
  for (const Entry& e : kEntries)
    if (e.name == name) return e.reward_threshold;
  return std::nullopt;
}

std::vector<TaskOptionInfo> TaskOptionsOf(std::string_view name) {
  for (const Entry& e : kEntries)
    if (e.name == name) return e.options();
  return {};
}

std::vector<std::string> TaskFamilies() {
  std::vector<std::string> patterns;
  for (const Family& f : kFamilies) patterns.push_back(fmt::format("{}N", f.prefix));
  return patterns;
}

bool IsTaskName(std::string_view name) {
  int parameter = 0;
  if (FamilyOf(name, &parameter)) return true;
  for (const Entry& e : kEntries)
    if (e.name == name) return true;
  return false;
}

std::vector<std::string> TaskNames() {
  std::vector<std::string> names;
  for (const Entry& e : kEntries) names.emplace_back(e.name);
  return names;
}

}  // namespace neurevo

// IafMimic: the reference neuron, the end-of-episode score and the state.
#include "tasks/cognitive/iaf_mimic.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "neurevo/task.h"

namespace neurevo {
namespace {

// The test's own integrate-and-fire neuron: fed each observation, returns
// the reference output of that step.
struct Neuron {
  double v = 0;
  double Feed(double u) {
    v += u;
    if (v < 1.0) return 0.0;
    v = 0;
    return 1.0;
  }
};

TEST(IafMimic, SpacesNameAndLimit) {
  const auto task = MakeTask("IafMimic");
  EXPECT_EQ(task->name(), "IafMimic");
  EXPECT_EQ(task->observation_space().size, 1);
  EXPECT_EQ(task->observation_space().low, std::vector<double>{0.0});
  EXPECT_EQ(task->observation_space().high, std::vector<double>{1.0});
  EXPECT_FALSE(task->action_space().discrete());
  EXPECT_EQ(task->action_space().high, std::vector<double>{1.0});
  EXPECT_EQ(task->max_episode_steps(), 100);
  EXPECT_EQ(task->info_names(),
            (std::vector<std::string>{"isi_distance", "isi_error", "height_error", "spike_count_error"}));
}

// Worked by hand: missing spikes count as spikes at step 100.
TEST(IafMimic, IsiErrorPadsWithTheEpisodeLength) {
  EXPECT_EQ(IafMimic::IsiError({}, {}), 0.0);
  EXPECT_EQ(IafMimic::IsiError(std::vector<int>{3, 7}, std::vector<int>{3, 7}), 0.0);
  // ref ISIs {2, 3}, silent {100, 0}: (98 + 3) / 2.
  EXPECT_EQ(IafMimic::IsiError(std::vector<int>{2, 5}, {}), 50.5);
  EXPECT_EQ(IafMimic::IsiError({}, std::vector<int>{2, 5}), 50.5);
  // ref {10, 20}, candidate {12, 100 - 12}: (2 + 68) / 2.
  EXPECT_EQ(IafMimic::IsiError(std::vector<int>{10, 30}, std::vector<int>{12}), 35.0);
  // The first ISI is measured from step 0: a spike at 0 against one at 4.
  EXPECT_EQ(IafMimic::IsiError(std::vector<int>{0}, std::vector<int>{4}), 4.0);
}

// Worked by hand over 10 steps: each step compares the intervals (s_{k-1},
// s_k] holding it, with s_0 = -1 and a last interval ending at step 10.
TEST(IafMimic, IsiDistanceIsTimeResolved) {
  const std::vector<int> none, at4{4}, at5{5};
  EXPECT_EQ(IafMimic::IsiDistance(none, none, 10), 0.0);
  EXPECT_EQ(IafMimic::IsiDistance(at4, at4, 10), 0.0);
  // Intervals 5 (t 0..4) and 6 (t 5..9) against 11 throughout: (5 * 6/11 + 5 * 5/11) / 10.
  EXPECT_DOUBLE_EQ(IafMimic::IsiDistance(at4, none, 10), 0.5);
  EXPECT_DOUBLE_EQ(IafMimic::IsiDistance(none, at4, 10), 0.5);
  // A spike one step late: 5 steps at 1/6, one at 0, 4 at 1/6.
  EXPECT_DOUBLE_EQ(IafMimic::IsiDistance(at4, at5, 10), 0.15);
  // Unlike the index-wise ISI error, one extra spike costs only the steps of
  // the intervals it splits: every later interval still lines up.
  const std::vector<int> ref{9, 19, 29, 39, 49, 59, 69, 79, 89, 99}, extra{4, 9, 19, 29, 39, 49, 59, 69, 79, 89, 99};
  EXPECT_DOUBLE_EQ(IafMimic::IsiDistance(ref, extra), (5 * 0.5 + 5 * 0.5) / 100);
  EXPECT_DOUBLE_EQ(IafMimic::IsiError(ref, extra), 19.0 / 11);  // the last pair compares 1 with 10
}

// The reference itself scores 0; a silent unit scores -(ISI error + 1) with
// the ISI error in closed form: ((100 - r1) + (rn - r1)) / n.
TEST(IafMimic, ReferenceScoresZeroSilenceTheHandComputedValue) {
  for (const uint64_t seed : {1u, 2u, 3u}) {
    for (const bool imitate : {true, false}) {
      IafMimic task;
      std::vector<double> obs(1);
      task.Reset(seed, obs);
      Neuron neuron;
      std::vector<int> spikes;
      double total = 0;
      StepResult r;
      for (int t = 0; t < 100; ++t) {
        ASSERT_GE(obs[0], 0.0);
        ASSERT_LT(obs[0], 0.5);
        const double out = neuron.Feed(obs[0]);
        if (out == 1.0) spikes.push_back(t);
        r = task.Step(std::vector<double>{imitate ? out : 0.0}, obs);
        ASSERT_FALSE(r.terminated);
        ASSERT_EQ(r.truncated, t == 99) << t;
        ASSERT_EQ(r.info_count, 4);
        if (t < 99) {
          ASSERT_EQ(r.reward, 0.0) << t;
        }
        total += r.reward;
      }
      EXPECT_EQ(obs[0], 0.0);  // nothing after the end
      EXPECT_THROW(task.Step(std::vector<double>{0}, obs), std::logic_error);
      const int n = static_cast<int>(spikes.size());
      ASSERT_GE(n, 15);  // 100 inputs of mean 0.25: about 24 spikes
      if (imitate) {
        EXPECT_EQ(total, 0.0);
        for (int i = 0; i < 4; ++i) EXPECT_EQ(r.info_values[i], 0.0) << i;
      } else {
        const double isi = static_cast<double>((100 - spikes[0]) + (spikes.back() - spikes[0])) / n;
        // Silence's intervals are all 101; the reference's interval k of
        // length L covers L steps, the last (s_n, 100] covers 99 - s_n.
        double covered = 0;
        for (int k = 0; k < n; ++k) {
          const double length = spikes[k] - (k == 0 ? -1 : spikes[k - 1]);
          covered += length * length;
        }
        covered += (100.0 - spikes.back()) * (99.0 - spikes.back());
        const double distance = 1.0 - covered / (100.0 * 101.0);
        EXPECT_NEAR(r.info_values[0], distance, 1e-12);  // a sum over 100 steps
        EXPECT_DOUBLE_EQ(r.info_values[1], isi);
        EXPECT_EQ(r.info_values[2], 1.0);  // every spike missed by 1, every silent step right
        EXPECT_EQ(r.info_values[3], n);
        EXPECT_NEAR(total, -(distance + 1.0), 1e-12);
      }
    }
  }
}

// A fixed short input: a state at step 98 whose reference fired at 10 and
// 50 with a silent unit, v = 0 (two inputs below 0.5 cannot fire again):
// ISIs {10, 40} against {100, 0}, error 65; height (1 + 1) / 2 over spikes.
TEST(IafMimic, SilentUnitFromACraftedState) {
  IafMimic task;
  std::vector<double> state(IafMimic::kStateSize, 0.0), obs(1);
  state[1] = 7;     // seed
  state[2] = 98;    // t
  state[4] = 2.0;   // |1 - 0| at both spikes
  state[6 + 10] = 1;
  state[6 + 50] = 1;
  task.SetPhysicalState(state, obs);
  EXPECT_EQ(obs[0], IafMimic::Input(7, 98));
  EXPECT_EQ(task.Step(std::vector<double>{0.0}, obs).reward, 0.0);
  const StepResult r = task.Step(std::vector<double>{0.0}, obs);
  EXPECT_TRUE(r.truncated);
  // ISI distance: silence's 101 against intervals 11 (11 steps), 40 (40) and
  // 50 (49): 1 - (121 + 1600 + 2450) / 10100.
  const double distance = 5929.0 / 10100.0;
  EXPECT_NEAR(r.reward, -(distance + 1.0), 1e-12);  // sums over 100 steps
  EXPECT_NEAR(r.info_values[0], distance, 1e-12);
  EXPECT_EQ(r.info_values[1], 65.0);
  EXPECT_EQ(r.info_values[2], 1.0);
  EXPECT_EQ(r.info_values[3], 2.0);
}

// Height error: graded actions, clipped to [0, 1]; 0.5 already counts as a spike.
TEST(IafMimic, HeightErrorMeansOverSpikeAndRestSteps) {
  IafMimic task;
  std::vector<double> state(IafMimic::kStateSize, 0.0), obs(1);
  state[2] = 98;
  state[3] = 0.0;
  task.SetPhysicalState(state, obs);
  // No reference spikes anywhere (as above): the rest mean is over 100 steps.
  task.Step(std::vector<double>{0.5}, obs);
  const StepResult r = task.Step(std::vector<double>{7.0}, obs);  // clipped to 1
  EXPECT_DOUBLE_EQ(r.info_values[2], (0.5 + 1.0) / 100);
  EXPECT_EQ(r.info_values[3], 2.0);
  // Two candidate spikes {98, 99} against none: ISIs {98, 1} against {100, 0};
  // intervals 99 (99 steps) and 1 (one step) against 101.
  EXPECT_EQ(r.info_values[1], 1.5);
  EXPECT_NEAR(r.info_values[0], (99 * 2.0 / 101 + 100.0 / 101) / 100, 1e-12);
}

// Every constant output scores a height error of 1 (silence, always on, or
// hovering at 0.5): only following the reference scores less.
TEST(IafMimic, NoConstantOutputBeatsSilenceOnHeight) {
  for (const double a : {0.0, 0.3, 0.5, 0.7, 1.0}) {
    IafMimic task;
    std::vector<double> obs(1);
    task.Reset(11, obs);
    StepResult r;
    for (int t = 0; t < 100; ++t) r = task.Step(std::vector<double>{a}, obs);
    EXPECT_NEAR(r.info_values[2], 1.0, 1e-12) << a;
  }
}

TEST(IafMimic, InputsAreDeterministicFromTheSeed) {
  IafMimic a, b;
  std::vector<double> oa(1), ob(1);
  double sum = 0;
  int differ = 0;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    a.Reset(seed, oa);
    b.Reset(seed, ob);
    for (int t = 0; t < 100; ++t) {
      ASSERT_EQ(oa, ob);
      ASSERT_EQ(oa[0], IafMimic::Input(seed, t));
      differ += IafMimic::Input(seed, t) != IafMimic::Input(seed + 1, t);
      sum += oa[0];
      a.Step(std::vector<double>{0.3}, oa);
      b.Step(std::vector<double>{0.3}, ob);
    }
  }
  EXPECT_EQ(differ, 5000);
  EXPECT_NEAR(sum / 5000, 0.25, 0.01);  // U(0, 0.5): sd of the mean 0.002
}

TEST(IafMimic, PhysicalStateRoundTripContinuesExactly) {
  IafMimic task, copy;
  std::vector<double> obs(1), obs_copy(1);
  task.Reset(12345678901234567ULL, obs);
  auto action = [](int t) { return std::vector<double>{(t * 37 % 11) / 10.0}; };
  for (int t = 0; t < 40; ++t) task.Step(action(t), obs);
  const std::vector<double> state = task.PhysicalState();
  ASSERT_EQ(state.size(), static_cast<size_t>(IafMimic::kStateSize));
  copy.SetPhysicalState(state, obs_copy);
  EXPECT_EQ(obs_copy, obs);
  EXPECT_EQ(copy.PhysicalState(), state);
  for (int t = 40; t < 100; ++t) {
    const StepResult r = task.Step(action(t), obs), rc = copy.Step(action(t), obs_copy);
    ASSERT_EQ(obs, obs_copy);
    ASSERT_EQ(r.reward, rc.reward);
    ASSERT_EQ(r.truncated, rc.truncated) << t;
    ASSERT_EQ(r.info_values, rc.info_values);
  }
}

TEST(IafMimic, RefusesAbsurdStatesAndFlagsNaNActions) {
  IafMimic task;
  std::vector<double> obs(1), good(IafMimic::kStateSize, 0.0);
  good[2] = 3;
  good[6] = 1;  // reference spike at step 0
  good[4] = 0.5;
  EXPECT_NO_THROW(task.SetPhysicalState(good, obs));
  auto with = [&](int i, double v) {
    auto s = good;
    s[i] = v;
    return s;
  };
  for (const auto& bad : {with(0, 4294967296.0), with(1, -1), with(1, 0.5), with(2, 101), with(2, 2.5),
                          with(3, 1.0), with(3, -0.1), with(3, NAN), with(4, 1.5), with(5, 2.5), with(6, 2),
                          with(6 + 3, 1), with(6 + 100 + 5, 1), std::vector<double>(IafMimic::kStateSize - 1)})
    EXPECT_THROW(task.SetPhysicalState(bad, obs), std::invalid_argument);
  task.Reset(1, obs);
  EXPECT_TRUE(task.Step(std::vector<double>{NAN}, obs).simulation_warning);
  EXPECT_THROW(task.Step(std::vector<double>{0, 0}, obs), std::invalid_argument);
}

}  // namespace
}  // namespace neurevo

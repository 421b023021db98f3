#include <gtest/gtest.h>

#include <cmath>

#include "neurevo/task.h"
#include "tasks/temporal/cue_delay_response.h"
#include "tasks/temporal/evidence_accumulation.h"
#include "tasks/temporal/n_back.h"

namespace neurevo {
namespace {

// Plays one episode answering every step with `policy(task)`; returns the return.
template <typename Policy>
double Play(Task& task, uint64_t seed, Policy policy, int* steps = nullptr) {
  std::vector<double> obs(task.observation_space().size);
  task.Reset(seed, obs);
  double total = 0;
  int n = 0;
  for (;;) {
    const double a = policy(task, obs);
    const StepResult r = task.Step(std::vector<double>{a}, obs);
    total += r.reward;
    ++n;
    if (r.terminated || r.truncated) break;
  }
  if (steps) *steps = n;
  return total;
}

double Teacher(const Task& task, const std::vector<double>&) {
  const int t = task.SupervisedTarget();
  return t >= 0 ? t : 0;
}

TEST(TemporalTasks, TheTeacherScoresOneAndEpisodesHaveTheirLength) {
  NBack nback(3);
  EvidenceAccumulation evidence(20);
  CueDelayResponse cue(10);
  for (Task* task : std::vector<Task*>{&nback, &evidence, &cue}) {
    for (uint64_t seed = 1; seed <= 20; ++seed) {
      int steps = 0;
      EXPECT_NEAR(Play(*task, seed, Teacher, &steps), 1.0, 1e-12) << task->name();
      EXPECT_EQ(steps, task->max_episode_steps()) << task->name();
    }
  }
  EXPECT_EQ(nback.max_episode_steps(), 3 + NBack::kScoredSteps);
  EXPECT_EQ(evidence.max_episode_steps(), 20 + EvidenceAccumulation::kDelaySteps + 1);
  EXPECT_EQ(cue.max_episode_steps(), CueDelayResponse::kCueSteps + 10 + 1);
}

TEST(TemporalTasks, NBackAnswersAreMatchesNBackAndHalfOfThem) {
  NBack task(2);
  int matches = 0, scored = 0;
  for (uint64_t seed = 1; seed <= 500; ++seed) {
    const Trial trial = task.MakeTrial(seed);
    auto symbol = [&](int t) {
      int s = -1, ones = 0;
      for (int k = 0; k < NBack::kSymbols; ++k)
        if (trial.observations[t * NBack::kSymbols + k] == 1.0) s = k, ++ones;
      EXPECT_EQ(ones, 1);
      return s;
    };
    for (int t = 0; t < task.trial_steps(); ++t) {
      if (t < 2) {
        EXPECT_EQ(trial.answers[t], Task::kUnscored);
        continue;
      }
      EXPECT_EQ(trial.answers[t], symbol(t) == symbol(t - 2) ? 1 : 0) << seed << " " << t;
      matches += trial.answers[t];
      ++scored;
    }
  }
  EXPECT_NEAR(static_cast<double>(matches) / scored, 0.5, 0.02);
  // Always answering "no match" is at chance.
  double total = 0;
  for (uint64_t seed = 1; seed <= 500; ++seed) total += Play(task, seed, [](const Task&, auto&) { return 0.0; });
  EXPECT_NEAR(total / 500, 0.5, 0.02);
}

TEST(TemporalTasks, EvidenceRatesAndIdealObserver) {
  EvidenceAccumulation task(20);
  long long rich = 0, poor = 0, counted_right = 0, ties = 0;
  const int trials = 4000;
  for (uint64_t seed = 1; seed <= trials; ++seed) {
    const Trial trial = task.MakeTrial(seed);
    const int side = trial.answers.back();
    ASSERT_TRUE(side == 0 || side == 1);
    int count[2] = {0, 0};
    for (int t = 0; t < 20; ++t)
      for (int k = 0; k < 2; ++k) count[k] += trial.observations[t * 3 + k] == 1.0;
    for (int t = 20; t < task.trial_steps(); ++t) {
      EXPECT_EQ(trial.observations[t * 3 + 0] + trial.observations[t * 3 + 1], 0.0);
      EXPECT_EQ(trial.observations[t * 3 + 2], t == task.trial_steps() - 1 ? 1.0 : 0.0);
    }
    rich += count[side];
    poor += count[1 - side];
    if (count[side] > count[1 - side]) ++counted_right;
    if (count[side] == count[1 - side]) ++ties;
  }
  EXPECT_NEAR(static_cast<double>(rich) / (20.0 * trials), EvidenceAccumulation::kRichRate, 0.01);
  EXPECT_NEAR(static_cast<double>(poor) / (20.0 * trials), EvidenceAccumulation::kPoorRate, 0.01);
  // The exact ideal accuracy agrees with the sampled trials' (ties half right).
  EXPECT_NEAR((counted_right + 0.5 * ties) / trials, EvidenceAccumulation::IdealAccuracy(20), 0.015);
  // Hand-computed at T = 1: P(rich clicks, poor does not) + P(tie) / 2.
  EXPECT_NEAR(EvidenceAccumulation::IdealAccuracy(1), 0.5 * 0.7 + 0.5 * (0.5 * 0.7 + 0.5 * 0.3), 1e-12);
}

TEST(TemporalTasks, CueIsShownThenHeldAndAskedOnce) {
  CueDelayResponse task(7);
  int count[CueDelayResponse::kCues] = {};
  for (uint64_t seed = 1; seed <= 400; ++seed) {
    const Trial trial = task.MakeTrial(seed);
    const int cue = trial.answers.back();
    ASSERT_GE(cue, 0);
    ++count[cue];
    const int w = CueDelayResponse::kCues + 1;
    for (int t = 0; t < task.trial_steps(); ++t) {
      for (int k = 0; k < w; ++k) {
        const double expected = (t < CueDelayResponse::kCueSteps && k == cue) ||
                                (t == task.trial_steps() - 1 && k == CueDelayResponse::kCues);
        EXPECT_EQ(trial.observations[t * w + k], expected);
      }
      if (t < task.trial_steps() - 1) EXPECT_EQ(trial.answers[t], Task::kUnscored);
    }
  }
  for (int c : count) EXPECT_NEAR(c / 400.0, 0.25, 0.07);
}

TEST(TemporalTasks, StateRestoresTheTrialMidEpisode) {
  NBack a(2), b(2);
  std::vector<double> oa(4), ob(4);
  a.Reset(77, oa);
  for (int t = 0; t < 5; ++t) a.Step(std::vector<double>{1.0}, oa);
  b.SetPhysicalState(a.PhysicalState(), ob);
  EXPECT_EQ(oa, ob);
  EXPECT_EQ(a.SupervisedTarget(), b.SupervisedTarget());
  for (int t = 5; t < a.max_episode_steps(); ++t) {
    const StepResult ra = a.Step(std::vector<double>{0.0}, oa), rb = b.Step(std::vector<double>{0.0}, ob);
    EXPECT_EQ(ra.reward, rb.reward);
    EXPECT_EQ(oa, ob);
  }
  EXPECT_THROW(b.Step(std::vector<double>{0.0}, ob), std::logic_error);
  // The state after the last step restores too, and steps no further.
  NBack c(2);
  c.SetPhysicalState(b.PhysicalState(), ob);
  EXPECT_THROW(c.Step(std::vector<double>{0.0}, ob), std::logic_error);
  EXPECT_THROW(b.SetPhysicalState(std::vector<double>{23, 0, 1}, ob), std::invalid_argument);  // t past the end
  EXPECT_THROW(b.SetPhysicalState(std::vector<double>{0.5, 0, 1}, ob), std::invalid_argument);
  EXPECT_THROW(b.Step(std::vector<double>{2.0}, ob), std::invalid_argument);  // not an action of Discrete(2)
}

TEST(TemporalTasks, RegisteredAsFamiliesWithATeacher) {
  for (const char* name : {"NBack-1", "NBack-3", "EvidenceAccumulation-20", "CueDelayResponse-10"}) {
    auto task = MakeTask(name);
    EXPECT_EQ(task->name(), name);
    std::vector<double> obs(task->observation_space().size);
    task->Reset(1, obs);
    EXPECT_NE(task->SupervisedTarget(), Task::kNoTeacher);
  }
  EXPECT_EQ(MakeTask("CartPole-v1")->SupervisedTarget(), Task::kNoTeacher);
  for (const char* bad : {"NBack-0", "NBack-101", "CueDelayResponse-0", "EvidenceAccumulation-1001", "NBack-x"})
    EXPECT_THROW(MakeTask(bad), std::exception) << bad;
}

}  // namespace
}  // namespace neurevo

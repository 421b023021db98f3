// WormForaging: the reference's food patterns, body model and senses.
#include "tasks/worm/worm_foraging.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <set>

#include "neurevo/task.h"

namespace neurevo {
namespace {

int Unique(const std::vector<std::array<double, 2>>& food) {
  std::set<std::pair<long long, long long>> seen;
  for (const auto& f : food) seen.insert({std::llround(f[0] * 1e6), std::llround(f[1] * 1e6)});
  return static_cast<int>(seen.size());
}

TEST(WormForaging, FoodPatternsAreTheReferences) {
  // 36 items each; repeated positions as the reference places them.
  const int unique[] = {36, 35, 32, 35, 36, 35, 32, 36};
  for (int p = 0; p < WormForaging::kPatterns; ++p) {
    const auto food = WormForaging::FoodPattern(static_cast<WormForaging::Pattern>(p));
    ASSERT_EQ(food.size(), 36u);
    EXPECT_EQ(Unique(food), unique[p]) << WormForaging::kNames[p];
    for (const auto& f : food) {  // every item on the shape of radius 300 or side 600 around the centre
      const double r = std::hypot(f[0] - 800, f[1] - 600);
      EXPECT_LE(r, 500.0 + 1e-9);  // the triangle's lower corners
      EXPECT_GE(r, p == WormForaging::kCircle ? 299.999 : 150.0);
    }
  }
  const auto square = WormForaging::FoodPattern(WormForaging::kSquare);
  EXPECT_DOUBLE_EQ(square[0][0], 500);
  EXPECT_DOUBLE_EQ(square[0][1], 300);
  EXPECT_DOUBLE_EQ(square[8][0], 1100);
  const auto pentagon = WormForaging::FoodPattern(WormForaging::kPentagon);
  EXPECT_DOUBLE_EQ(pentagon[0][0], 1100);  // vertex 0 at angle 0, radius 300
  EXPECT_DOUBLE_EQ(pentagon[0][1], 600);
}

TEST(WormForaging, BodyModelSpeedsTurnsAndWalls) {
  const auto task = MakeTask("WormForaging-hexagon");
  EXPECT_EQ(task->max_episode_steps(), 250);
  std::vector<double> obs(2);
  task->Reset(1, obs);
  EXPECT_EQ(obs, (std::vector<double>{0, 0}));
  // No drive: the minimum speed 75 / 7 straight ahead (+x).
  task->Step(std::vector<double>{0, 0}, obs);
  auto s = task->PhysicalState();
  EXPECT_DOUBLE_EQ(s[0], 800 + 75.0 / 7);
  EXPECT_DOUBLE_EQ(s[1], 600);
  // R - L = 5: heading += 0.5 rad; |L| + |R| = 195 clips at 150.
  task->Step(std::vector<double>{-100, -95}, obs);
  s = task->PhysicalState();
  EXPECT_DOUBLE_EQ(s[2], 0.5);
  EXPECT_NEAR(s[0], 800 + 75.0 / 7 + 150.0 / 7 * std::cos(0.5), 1e-9);
  // Turns wrap into [-pi, pi).
  task->Step(std::vector<double>{0, 40}, obs);  // + 4 rad
  EXPECT_NEAR(task->PhysicalState()[2], 4.5 - 2 * std::numbers::pi, 1e-12);
  // A wall clamps the position; at the wall itself (distance 0) touch is off,
  // within 100 of it on.
  std::vector<double> state(5 + 36, 1.0);
  state[0] = 1590;
  state[1] = 600;
  state[2] = 0;
  task->SetPhysicalState(state, obs);
  task->Step(std::vector<double>{0, 0}, obs);
  EXPECT_DOUBLE_EQ(task->PhysicalState()[0], 1600);
  EXPECT_EQ(obs[0], 0);
  state[0] = 1500;
  task->SetPhysicalState(state, obs);
  task->Step(std::vector<double>{0, 0}, obs);
  EXPECT_EQ(obs[0], 1);
}

TEST(WormForaging, EatsWithin20SeesWithin150TouchFirst) {
  const auto task = MakeTask("WormForaging-circle");
  std::vector<double> obs(2), state(5 + 36, 0.0);
  // Only item 0, at (1100, 600); start 40 short of it, facing it: after one
  // step (10.7) it is 29.3 away: seen, not eaten.
  state[0] = 1100 - 40;
  state[1] = 600;
  state[5] = 1;
  task->SetPhysicalState(state, obs);
  StepResult r = task->Step(std::vector<double>{0, 0}, obs);
  EXPECT_EQ(r.reward, 0);
  EXPECT_EQ(obs, (std::vector<double>{0, 1}));
  r = task->Step(std::vector<double>{0, 0}, obs);  // 18.6 away: eaten
  EXPECT_EQ(r.reward, 1);
  EXPECT_EQ(r.info()[0], 1);
  EXPECT_EQ(obs, (std::vector<double>{0, 1}));  // seen in the step it is eaten
  r = task->Step(std::vector<double>{0, 0}, obs);
  EXPECT_EQ(r.reward, 0);
  EXPECT_EQ(obs, (std::vector<double>{0, 0}));  // gone
  // Food in sight near a wall: touch only.
  state.assign(5 + 36, 0.0);
  state[0] = 1100 - 40;
  state[1] = 90;
  state[5] = 1;
  task->SetPhysicalState(state, obs);
  task->Step(std::vector<double>{0, 0}, obs);
  EXPECT_EQ(obs, (std::vector<double>{1, 0}));
}

TEST(WormForaging, RunsTheFullEpisodeAndRefusesBadStates) {
  const auto task = MakeTask("WormForaging-nonagon");
  std::vector<double> obs(2);
  task->Reset(7, obs);
  int steps = 0;
  for (StepResult r; !r.truncated; ++steps) {
    r = task->Step(std::vector<double>{3, 1}, obs);
    ASSERT_FALSE(r.terminated);
  }
  EXPECT_EQ(steps, 250);
  EXPECT_THROW(task->SetPhysicalState(std::vector<double>(4, 0.0), obs), std::exception);
  std::vector<double> state(5 + 36, 0.0);
  state[2] = NAN;
  EXPECT_THROW(task->SetPhysicalState(state, obs), std::exception);
}

}  // namespace
}  // namespace neurevo

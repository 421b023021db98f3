// CartPole-v1: balance a pole hinged on a cart by pushing the cart left or
// right (Barto, Sutton & Anderson 1983).
//
// A port of Gymnasium 1.4.0's gymnasium/envs/classic_control/cartpole.py
// (CartPoleEnv, default settings: Euler integrator, reward 1 per step
// including the terminating one) plus the TimeLimit of 500 steps from
// gymnasium/envs/classic_control/__init__.py. The state is kept in float64;
// observations are the state rounded to float32, as Gymnasium returns
// np.array(self.state, dtype=np.float32). Stepping after termination is not
// supported (Gymnasium warns and gives reward 0 there).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "tasks/task_base.h"

namespace neurevo {

class CartPole final : public TaskBase {
 public:
  static constexpr std::string_view kName = "CartPole-v1";

  // max_episode_steps: the TimeLimit (Gymnasium's gym.make keyword; 500 is CartPole-v1's).
  explicit CartPole(int max_episode_steps = 500);


  double dt() const override;
  void Reset(uint64_t seed, std::span<double> observation) override;
  // action[0] is 0 (push left) or 1 (push right); anything else throws
  // std::invalid_argument.
  StepResult Step(std::span<const double> action,
                  std::span<double> observation) override;
  // {x, x_dot, theta, theta_dot}.
  std::vector<double> PhysicalState() const override;
  void SetPhysicalState(std::span<const double> state,
                        std::span<double> observation) override;

 private:
  void WriteObservation(std::span<double> observation) const;

  std::array<double, 4> state_{};
};

}  // namespace neurevo

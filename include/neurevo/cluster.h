// The processes of one training run.
//
// Under `mpirun -np K` a run has K ranks. Every rank executes the same
// training loop on the same state (optimizers, normaliser, best-so-far);
// only the work — individuals of a generation, validation and held-out
// episodes — is split between them, and the results are exchanged so that
// every rank tells its optimizers exactly what one process would have. So a
// run on K ranks equals, bit for bit, the same run in one process, whatever
// the split. Rank 0 owns the run directory and the terminal.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace neurevo {

class Cluster {
 public:
  virtual ~Cluster() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  bool root() const { return rank() == 0; }
  // Every rank contributes `mine`; every rank gets all contributions in
  // rank order.
  virtual std::vector<std::string> AllGather(const std::string& mine) = 0;
  // Rank 0's `value`, on every rank.
  virtual std::string Broadcast(const std::string& value) = 0;
};

// One process, no communication.
std::unique_ptr<Cluster> MakeLocalCluster();
// MPI's world communicator when this process was started by mpirun (and the
// build has MPI), else a local cluster. Call once, from main(), before any
// thread starts; the cluster lives until the end of the program.
std::unique_ptr<Cluster> MakeProcessCluster(int* argc, char*** argv);
// Whether this build can run across processes.
bool ClusterHasMpi();

}  // namespace neurevo

// The single-process cluster, and the choice between it and MPI.
#include <cstdlib>

#include "neurevo/cluster.h"

namespace neurevo {

namespace {
class LocalCluster final : public Cluster {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::vector<std::string> AllGather(const std::string& mine) override { return {mine}; }
  std::string Broadcast(const std::string& value) override { return value; }
};
}  // namespace

std::unique_ptr<Cluster> MakeLocalCluster() { return std::make_unique<LocalCluster>(); }

#ifdef NEUREVO_HAVE_MPI
std::unique_ptr<Cluster> MakeMpiCluster(int* argc, char*** argv);  // mpi_cluster.cc
bool ClusterHasMpi() { return true; }
#else
bool ClusterHasMpi() { return false; }
#endif

std::unique_ptr<Cluster> MakeProcessCluster(int* argc, char*** argv) {
#ifdef NEUREVO_HAVE_MPI
  // Only a process that a launcher started initialises MPI: a plain
  // `neurevo train` stays a single process with no MPI start-up cost.
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(var)) return MakeMpiCluster(argc, argv);
#endif
  return MakeLocalCluster();
}

}  // namespace neurevo

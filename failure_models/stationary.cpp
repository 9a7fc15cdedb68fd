#include "failure_models/stationary.hpp"

#include <Eigen/IterativeLinearSolvers>
#include <Eigen/Sparse>
#include <Eigen/SparseLU>

namespace ridethrough::failure_models {

/// Solved as the transpose system with the balance equation of the all-up state replaced by
/// pi_0 = 1 (a row of ones instead would be dense and fill the factors), then normalised.
Stationary solve_stationary(int n, const std::vector<Transition>& trans, std::size_t direct_limit) {
  std::vector<Eigen::Triplet<double>> tri;
  std::vector<double> out_rate(n, 0.0);
  for (const auto& t : trans) {
    out_rate[t.from] += t.rate;
    if (t.to != 0) tri.emplace_back(t.to, t.from, t.rate);
  }
  for (int s = 1; s < n; ++s) tri.emplace_back(s, s, -out_rate[s]);
  tri.emplace_back(0, 0, 1.0);
  Eigen::SparseMatrix<double> a(n, n);
  a.setFromTriplets(tri.begin(), tri.end());
  a.makeCompressed();
  tri.clear();
  tri.shrink_to_fit();
  Eigen::VectorXd b = Eigen::VectorXd::Zero(n);
  b(0) = 1.0;
  Stationary out;
  Eigen::VectorXd pi;
  if (static_cast<std::size_t>(n) <= direct_limit) {
    Eigen::SparseLU<Eigen::SparseMatrix<double>> lu;
    lu.compute(a);
    if (lu.info() != Eigen::Success) return out;
    pi = lu.solve(b);
  } else {
    // Too big to factorise (the first-come queue fills the factors): BiCGSTAB to a relative
    // residual of kIterativeTolerance, preconditioned by the diagonal (an incomplete LU's
    // ordering cost 70% of the time on half a million states and saved nothing: the diagonal
    // converges in about ten iterations on these chains).
    out.iterative = true;
    Eigen::BiCGSTAB<Eigen::SparseMatrix<double>> solver;
    solver.setTolerance(kIterativeTolerance);
    solver.setMaxIterations(20000);
    solver.compute(a);
    if (solver.info() == Eigen::Success) pi = solver.solve(b);
    out.iterations = static_cast<int>(solver.iterations());
    out.residual = solver.error();
    if (solver.info() != Eigen::Success) return out;
  }
  pi /= pi.sum();
  out.pi.assign(pi.data(), pi.data() + n);
  out.solved = true;
  return out;
}

}  // namespace ridethrough::failure_models

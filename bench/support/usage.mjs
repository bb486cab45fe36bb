// Preloaded into a benchmarked Node process (`node --import`): reports the process's peak RSS (all threads) and
// CPU time on stderr as it exits, for the harness to read.
process.on("exit", () => {
  const usage = process.resourceUsage();
  process.stderr.write(`\nMESH_BENCH_USAGE ${usage.maxRSS} ${Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000)}\n`);
});

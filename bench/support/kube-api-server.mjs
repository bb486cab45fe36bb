// Runs the (compiled) Kubernetes API test server for bench rows: prints the kubeconfig path, then serves until
// the bench harness that started it has exited.
const [, , modulePath, directory] = process.argv;
const { startKubeApiServer } = await import(modulePath);
const server = await startKubeApiServer({ crdEstablishDelayMs: 0, deploymentReadyAfterReads: 0 });
process.stdout.write(`${server.kubeconfigPath(directory)}\n`);
const parent = process.ppid;
setInterval(async () => {
  try {
    process.kill(parent, 0);
  } catch {
    await server.stop();
    process.exit(0);
  }
}, 500);

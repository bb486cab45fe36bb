// Runs the (compiled) Kubernetes API test server for bench rows: prints the kubeconfig path, exits with stdin.
const [, , modulePath, directory] = process.argv;
const { startKubeApiServer } = await import(modulePath);
const server = await startKubeApiServer({ crdEstablishDelayMs: 0, deploymentReadyAfterReads: 0 });
process.stdout.write(`${server.kubeconfigPath(directory)}\n`);
process.stdin.resume();
process.stdin.on("end", async () => {
  await server.stop();
  process.exit(0);
});

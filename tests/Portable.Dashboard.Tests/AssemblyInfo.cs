// The dashboard's InvocationRecorder listens to every span of PortableTelemetry.Source in the process, as a host does in
// production (one host a process). These tests start several hosts; run one class at a time so that a host's list holds its
// own invocations only (a CI run saw the browser test count eight PlaceOrder rows: the API tests' hosts ran beside it).
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]

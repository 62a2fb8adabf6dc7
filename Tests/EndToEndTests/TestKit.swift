// Every file of this target sees the test kit (DaemonFixture, Client,
// ChildProcess, JournaldFixture, NotifyListener...) without importing it.
@_exported import FairwayTestSupport

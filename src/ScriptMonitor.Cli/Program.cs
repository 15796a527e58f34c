using ScriptMonitor.Cli;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Output;

// First, before anything opens a file: a closed stdout must not become the database's descriptor.
var standard = StandardDescriptors.Guard();
return Scriptmon.Run(args, new CliContext(TimeProvider.System, Terminal.FromConsole(standard)) { Descriptors = standard });

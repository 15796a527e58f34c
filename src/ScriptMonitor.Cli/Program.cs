using ScriptMonitor.Cli;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Output;

return Scriptmon.Run(args, new CliContext(TimeProvider.System, Terminal.FromConsole()));

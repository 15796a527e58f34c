using ScriptMonitor.Server.Hosting;

return await ServerProgram.RunAsync(args);

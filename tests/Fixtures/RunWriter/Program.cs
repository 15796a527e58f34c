// Records COUNT successful runs of SCRIPT into the store named by DATABASE, one call at a time, as many
// independent cron processes would. Used by the tests that run several writers against one store at once.
using System.Globalization;
using ScriptMonitor.Application.Stores;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: RunWriter DATABASE SCRIPT HOST COUNT");
    return 2;
}

var count = int.Parse(args[3], CultureInfo.InvariantCulture);
using var store = ScriptRunStores.Open(args[0]);
var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
for (var i = 0; i < count; i++)
{
    var started = start.AddSeconds(i);
    store.RecordSuccess(args[1], started, started.AddMilliseconds(250), args[2]);
}

return 0;

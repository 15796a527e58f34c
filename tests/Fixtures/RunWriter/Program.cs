// Records COUNT successful runs of SCRIPT into the store named by DATABASE, one call at a time, as many
// independent cron processes would. Used by the tests that run several writers against one store at once.
//
// With --calls, opens the store named by DATABASE and makes every call of the store contract once (StoreCalls),
// printing how each ended, one tab-separated line each: how the tests see what another user (one who may only read
// the file) gets from every method.
using System.Globalization;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Testing;

if (args is ["--calls", var setting, var now])
{
    PrintEveryCall(setting, DateTimeOffset.Parse(now, CultureInfo.InvariantCulture));
    return 0;
}

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: RunWriter DATABASE SCRIPT HOST COUNT | RunWriter --calls DATABASE NOW");
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

static void PrintEveryCall(string setting, DateTimeOffset now)
{
    try
    {
        using var store = ScriptRunStores.Open(setting);
        foreach (var result in StoreCalls.CallEachAsync(store, now).GetAwaiter().GetResult())
        {
            Console.WriteLine(result.ToLine());
        }
    }
    catch (Exception e)
    {
        Console.WriteLine(new StoreCallResult("Open", false, e.GetType().Name, e.Message).ToLine());
    }
}

namespace ScriptMonitor.Health.Cron;

/// <summary>The zone's clock changes at <paramref name="At"/> (UTC) from offset <paramref name="Before"/> to <paramref name="After"/>.</summary>
internal readonly record struct ClockChange(DateTime At, TimeSpan Before, TimeSpan After);

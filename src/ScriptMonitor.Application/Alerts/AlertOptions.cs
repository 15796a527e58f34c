namespace ScriptMonitor.Application.Alerts;

/// <summary>The server's <c>Alerts</c> settings: the evaluation loop, what notifies and how notifications are delivered.</summary>
public sealed class AlertOptions
{
    /// <summary>The configuration section these settings live in.</summary>
    public const string Section = "Alerts";

    /// <summary>Whether the server evaluates and notifies at all; on by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the loop wakes, in milliseconds: it renews the lease, reads the change feed and evaluates what is due.</summary>
    public int TickMilliseconds { get; set; } = 1000;

    /// <summary>The longest a script goes without being evaluated again, in seconds, whatever its deadlines say.</summary>
    public int MaxRecheckSeconds { get; set; } = 300;

    /// <summary>
    /// How far behind its cursor the loop reads the change feed again, in seconds, on PostgreSQL (whose commits can
    /// become visible out of sequence order); SQLite commits in order and reads none.
    /// </summary>
    public int FeedLagSeconds { get; set; } = 5;

    /// <summary>A change whose run started longer ago than this when it is seen (a spool delivered after an outage) is recorded but not told.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The optional URL the server GETs each tick, for a dead-man's switch (Healthchecks and the like) to notice the monitor itself stopping.</summary>
    public string? HeartbeatUrl { get; set; }

    /// <summary>
    /// The address people reach the server at (<c>https://monitor.example.com/</c>), for notifications to link to the
    /// script's page on the dashboard; none when unset, since the server cannot know how it is reached from outside.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>The link to a script's page on the dashboard, when <see cref="PublicUrl"/> is set.</summary>
    /// <param name="scriptName">The script.</param>
    internal Uri? ScriptLink(string scriptName) =>
        PublicUrl is null ? null : new Uri(new Uri(PublicUrl.TrimEnd('/') + "/"), "ui/#/script/" + Uri.EscapeDataString(scriptName));

    /// <summary>When a script changes state too often.</summary>
    public FlappingOptions Flapping { get; set; } = new();

    /// <summary>How notifications are delivered.</summary>
    public DeliveryOptions Delivery { get; set; } = new();

    /// <summary>Whether command channels run on this host.</summary>
    public CommandChannelOptions CommandChannels { get; set; } = new();

    /// <summary>The tick as a duration.</summary>
    public TimeSpan Tick => TimeSpan.FromMilliseconds(TickMilliseconds);

    /// <summary>Every setting that breaks its rule, as <c>Alerts:Name rule</c>; empty when all are good.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Require(bool rule, string setting, string message)
        {
            if (!rule)
            {
                problems.Add($"{Section}:{setting} {message}");
            }
        }

        Require(TickMilliseconds is >= 10 and <= 60_000, nameof(TickMilliseconds), "must be from 10 to 60000 (milliseconds)");
        Require(MaxRecheckSeconds is >= 1 and <= 86_400, nameof(MaxRecheckSeconds), "must be from 1 to 86400 (seconds)");
        Require(FeedLagSeconds is >= 0 and <= 3600, nameof(FeedLagSeconds), "must be from 0 to 3600 (seconds)");
        Require(StaleAfter > TimeSpan.Zero, nameof(StaleAfter), "must be a duration above 0 (hh:mm:ss)");
        Require(PublicUrl is null || (Uri.TryCreate(PublicUrl, UriKind.Absolute, out var site) && site.Scheme is "http" or "https" && string.IsNullOrEmpty(site.Query) && string.IsNullOrEmpty(site.Fragment)), nameof(PublicUrl), "must be an absolute http or https URL without a query or fragment");
        Require(HeartbeatUrl is null || (Uri.TryCreate(HeartbeatUrl, UriKind.Absolute, out var heartbeat) && heartbeat.Scheme is "http" or "https"), nameof(HeartbeatUrl), "must be an absolute http or https URL");
        Require(Flapping.MaxFlips >= 1, "Flapping:MaxFlips", "must be at least 1");
        Require(Flapping.Window > TimeSpan.Zero, "Flapping:Window", "must be a duration above 0 (hh:mm:ss)");
        Require(Delivery.AttemptTimeoutSeconds is >= 1 and <= 600, "Delivery:AttemptTimeoutSeconds", "must be from 1 to 600 (seconds)");
        Require(Delivery.FirstRetrySeconds >= 1, "Delivery:FirstRetrySeconds", "must be at least 1 (second)");
        Require(Delivery.MaxBackoffSeconds >= Delivery.FirstRetrySeconds, "Delivery:MaxBackoffSeconds", "must be at least Alerts:Delivery:FirstRetrySeconds");
        Require(Delivery.GiveUpAfterHours > 0, "Delivery:GiveUpAfterHours", "must be above 0 (hours)");
        return problems;
    }
}

/// <summary>The <c>Alerts:Flapping</c> settings.</summary>
public sealed class FlappingOptions
{
    /// <summary>More changes between up and down than this within <see cref="Window"/> is flapping: one notice, then quiet.</summary>
    public int MaxFlips { get; set; } = 6;

    /// <summary>The window changes are counted in, and how long a flapping script must stay stable before it is told again.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>The <c>Alerts:Delivery</c> settings.</summary>
public sealed class DeliveryOptions
{
    /// <summary>How long one attempt may take, in seconds.</summary>
    public int AttemptTimeoutSeconds { get; set; } = 10;

    /// <summary>The wait before the first retry of a failed notification, in seconds; it doubles with each failure.</summary>
    public int FirstRetrySeconds { get; set; } = 5;

    /// <summary>The longest wait between attempts, in seconds.</summary>
    public int MaxBackoffSeconds { get; set; } = 300;

    /// <summary>A notification not delivered this many hours after it was written fails for good.</summary>
    public double GiveUpAfterHours { get; set; } = 24;
}

/// <summary>The <c>Alerts:CommandChannels</c> settings.</summary>
public sealed class CommandChannelOptions
{
    /// <summary>Whether command channels run programs on this host; off by default, and their notifications fail saying so.</summary>
    public bool Enabled { get; set; }
}

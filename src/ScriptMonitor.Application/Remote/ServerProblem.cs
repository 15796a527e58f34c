namespace ScriptMonitor.Application.Remote;

/// <summary>An error answer of the server (RFC 9457 problem details), as far as a client acts on it.</summary>
/// <param name="Title">The status in words.</param>
/// <param name="Detail">What went wrong, for people.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Errors">For a 400: each broken rule, naming its field as the request did.</param>
internal sealed record ServerProblem(string? Title, string? Detail, int? Status, IReadOnlyList<ServerFieldProblem>? Errors);

/// <summary>One broken rule of a request.</summary>
/// <param name="Path">The JSON field (<c>startedAt</c>).</param>
/// <param name="Rule">The rule's stable key (<c>not-in-future</c>).</param>
/// <param name="Message">What is wrong, naming the field.</param>
internal sealed record ServerFieldProblem(string? Path, string? Rule, string? Message);

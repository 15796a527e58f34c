namespace ScriptMonitor.Server.Api;

/// <summary>One broken rule of a request, in a 400's <c>errors</c>: the JSON field, the rule's key, a sentence.</summary>
/// <param name="Path">The field as the request names it (<c>startedAt</c>).</param>
/// <param name="Rule">The rule's stable key (<c>not-in-future</c>, <c>required</c>…).</param>
/// <param name="Message">What is wrong, naming the field.</param>
internal sealed record FieldProblem(string Path, string Rule, string Message);

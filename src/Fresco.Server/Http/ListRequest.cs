using Fresco.Engine.Serving;

namespace Fresco.Server.Http;

/// <summary>
/// A parsed list request: the engine query, whether the answer is scored (<c>X-API-Version: 2</c>, or any list that is
/// always scored) and whether each entry names its source (<c>explain=true</c>). Immutable value.
/// </summary>
internal readonly record struct ListRequest(RecommendQuery Query, bool Scored, bool Explain);

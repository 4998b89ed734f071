namespace InclusionMap.Data.Moderation;

public enum SuggestionStatus
{
    Open,
    Accepted,
    Refused,
}

using InclusionMap.Core;
using InclusionMap.Testing;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Data.Tests;

public sealed class TextSearchTests(SeededCatalogue catalogue) : IClassFixture<SeededCatalogue>
{
    [Theory]
    [InlineData("GUÉRET")]
    [InlineData("médiathèque")]
    [InlineData("France services La Poste")]
    [InlineData("Œuvre")]
    public async Task Search_ignores_case_and_accents_and_matches_an_independent_fold_in_memory(string term)
    {
        await using var db = catalogue.CreateContext();
        var folded = TextSearch.Fold(term);
        var query = db.Sites.Where(s => s.SearchText.Contains(folded)).Select(s => s.Id);
        Assert.Contains("LIKE", query.ToQueryString());
        Assert.Contains("search_text", query.ToQueryString());

        var found = (await query.ToListAsync()).Order().ToList();
        var all = await db.Sites.Select(s => new { s.Id, Text = s.Nom + " " + s.CommuneName + " " + s.Adresse }).ToListAsync();
        var expected = all.Where(s => TextSearch.Fold(s.Text).Contains(folded, StringComparison.Ordinal))
            .Select(s => s.Id).Order().ToList();
        Assert.Equal(expected, found);
        if (term == "GUÉRET") Assert.True(found.Count >= 5, "Guéret has several places in the real data");
    }

    [Fact]
    public async Task Search_uses_the_trigram_index()
    {
        await using var connection = await catalogue.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        // The table is small enough for a sequential scan to be cheaper; forbid it to see that the index can serve the query.
        command.CommandText = "SET enable_seqscan = off; EXPLAIN SELECT id FROM sites WHERE search_text LIKE '%gueret%'";
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        do { while (await reader.ReadAsync()) plan.Add(reader.GetString(0)); } while (await reader.NextResultAsync());
        Assert.Contains(plan, line => line.Contains("ix_sites_search_text", StringComparison.Ordinal));
    }
}

using System.Linq.Expressions;
using InclusionMap.Core.Places;

namespace InclusionMap.Core.Tests.Places;

public sealed class SiteReadingTests
{
    [Fact]
    public void Reads_the_named_properties_and_the_id_and_leaves_the_rest_at_their_defaults()
    {
        var projection = Site.Reading(["Nom", "Latitude"]);
        var bound = ((MemberInitExpression)projection.Body).Bindings.Select(b => b.Member.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["Id", "Latitude", "Nom"], bound);

        var source = new Site { Id = 7, Nom = "Médiathèque", Adresse = "1 rue", Services = [InclusionMap.Core.Schema.Service.AideAuxDemarchesAdministratives] };
        var read = projection.Compile()(source);
        Assert.Equal((7L, "Médiathèque"), (read.Id, read.Nom));
        Assert.Equal("", read.Adresse);
        Assert.Empty(read.Services);
    }

    [Fact]
    public void The_same_set_in_any_order_gives_the_same_expression()
    {
        // EF Core's query cache then finds the translated query again.
        Assert.Same(Site.Reading(["Nom", "Id", "Horaires"]), Site.Reading(["Horaires", "Nom"]));
    }

    [Theory]
    [InlineData("Commune")]
    [InlineData("Sources")]
    [InlineData("NoSuchProperty")]
    public void Refuses_what_is_not_a_column(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => Site.Reading(["Nom", name]));
        Assert.Contains(name, e.Message);
    }
}

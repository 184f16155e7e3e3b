using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace IdentityService.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class RevocationFeedLines : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RevocationFeedEntries",
                columns: table => new
                {
                    Version = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TokenId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    SubjectSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RevokedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ListedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RevocationFeedEntries", x => x.Version);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RevocationFeedEntries_ListedUntil",
                table: "RevocationFeedEntries",
                column: "ListedUntil");

            migrationBuilder.CreateIndex(
                name: "IX_RevocationFeedEntries_SubjectSha256",
                table: "RevocationFeedEntries",
                column: "SubjectSha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RevocationFeedEntries_TokenId",
                table: "RevocationFeedEntries",
                column: "TokenId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RevocationFeedEntries");
        }
    }
}

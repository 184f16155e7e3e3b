using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdentityService.Data.Sqlite.Migrations
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
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TokenId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    SubjectSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RevokedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ListedUntil = table.Column<DateTime>(type: "TEXT", nullable: false)
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

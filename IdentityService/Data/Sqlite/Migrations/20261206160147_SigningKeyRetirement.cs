using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdentityService.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SigningKeyRetirement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "RetiredAt",
                table: "SigningKeys",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "KeyId",
                table: "RevocationFeedEntries",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_RevocationFeedEntries_KeyId",
                table: "RevocationFeedEntries",
                column: "KeyId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RevocationFeedEntries_KeyId",
                table: "RevocationFeedEntries");

            migrationBuilder.DropColumn(
                name: "RetiredAt",
                table: "SigningKeys");

            migrationBuilder.DropColumn(
                name: "KeyId",
                table: "RevocationFeedEntries");
        }
    }
}

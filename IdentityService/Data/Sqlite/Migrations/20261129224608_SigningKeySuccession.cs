using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IdentityService.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SigningKeySuccession : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Follows",
                table: "SigningKeys",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_SigningKeys_Follows",
                table: "SigningKeys",
                column: "Follows",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SigningKeys_Follows",
                table: "SigningKeys");

            migrationBuilder.DropColumn(
                name: "Follows",
                table: "SigningKeys");
        }
    }
}

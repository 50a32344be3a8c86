/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The generated Prisma clients live outside node_modules; the database drivers are
  // already on Next's built-in server-external list (better-sqlite3, pg, @prisma/client).
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;

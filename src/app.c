/* app.c: the configuration defaults. */
#include "app.h"

#include <unistd.h>

void app_config_defaults(struct app_config *cfg)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	cfg->db_path = "troth.db";
	cfg->listen_host = "127.0.0.1";
	cfg->port = 8080;
	cfg->threads = cores > 0 && cores < 64 ? (unsigned)cores : 2;
	cfg->exit_url = "https://www.bbc.com/weather";
	cfg->tls = false;
	cfg->conn_limit = 1024;
	cfg->conn_timeout = 30;
}
